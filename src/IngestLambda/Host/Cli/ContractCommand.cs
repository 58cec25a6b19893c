using IngestLambda.Core.Contracts;

namespace IngestLambda.Host.Cli;

/// <summary>
/// <c>bootstrap contract check DIR</c> and <c>bootstrap contract infer FILE</c> (docs/contracts.md "Dataset contracts"): the dataset
/// contracts as a contract repository's CI and a data team adding a feed use them.
/// </summary>
internal static class ContractCommand
{
    public const string CheckUsage = "Usage: bootstrap contract check DIR";

    public const string Usage = """
        Usage:
          bootstrap contract check DIR                                  validate every contract in DIR (exit 0 valid, 2 otherwise)
          bootstrap contract infer FILE [--delimiter C] [--name N]      draft a contract from a sample CSV (JSON on stdout)
        """;

    /// <summary>Prints one line per problem (file, where, what), or the datasets found; exit 0 when there is no problem, else 2.</summary>
    public static async Task<int> CheckAsync(string? directory, TextWriter stdout, TextWriter stderr)
    {
        if (directory is null)
        {
            await stderr.WriteLineAsync($"contract check: no folder given.\n{CheckUsage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var (datasets, problems) = ContractFolder.Check(directory);
        foreach (var problem in problems)
            await stdout.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            await stdout.WriteLineAsync($"{directory}: {problems.Count} problem{(problems.Count == 1 ? "" : "s")}.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        foreach (var dataset in datasets)
        {
            var where = dataset.LandingPrefix is { } prefix ? $", landing prefix '{prefix}'" : "";
            await stdout.WriteLineAsync($"{Path.GetFileName(dataset.Source)}: {dataset.Name}, {dataset.Columns.Count} columns, "
                + $"{dataset.Dialect.Describe()}{where}").ConfigureAwait(false);
        }
        await stdout.WriteLineAsync($"{directory}: {datasets.Count} contract{(datasets.Count == 1 ? "" : "s")}, no problem.").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
