namespace IngestLambda.Core.Contracts;

/// <summary>One thing wrong with a contract: the file, where in it (a JSON path, with the field's name), and what.</summary>
/// <param name="File">The contract file, or the files involved when the problem is between contracts.</param>
/// <param name="Where">A path such as <c>schema.fields[3] (anoLancamento).type</c>; empty for the whole file.</param>
/// <param name="Problem">What is wrong, as a sentence a person can act on.</param>
public sealed record ContractProblem(string File, string Where, string Problem)
{
    public override string ToString() => Where.Length == 0 ? $"{File}: {Problem}" : $"{File}: {Where}: {Problem}";
}

/// <summary>Contracts that cannot be used: every problem found, never a silent default.</summary>
public sealed class ContractException : Exception
{
    public ContractException(IReadOnlyList<ContractProblem> problems)
        : base(Describe(problems)) => Problems = problems;

    public ContractException() : this([]) { }

    public ContractException(string message) : base(message) => Problems = [];

    public ContractException(string message, Exception innerException) : base(message, innerException) => Problems = [];

    public IReadOnlyList<ContractProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ContractProblem> problems) => problems.Count switch
    {
        0 => "The contracts are not valid.",
        1 => $"Invalid contract: {problems[0]}",
        _ => $"{problems.Count} problems in the contracts: {string.Join("; ", problems)}",
    };
}
