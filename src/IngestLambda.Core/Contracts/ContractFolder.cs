using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Contracts;

/// <summary>
/// The folder of contract files: every <c>*.json</c> in it is one dataset's contract (docs/contracts.md "Dataset contracts"). The
/// function reads <c>contracts/</c> beside its executable (in Lambda, LAMBDA_TASK_ROOT) unless CONTRACTS_DIR names
/// another folder.
/// </summary>
public static class ContractFolder
{
    public const string EnvironmentVariable = "CONTRACTS_DIR";
    public const string FolderName = "contracts";

    /// <summary>CONTRACTS_DIR when set, else <c>contracts/</c> beside the executable.</summary>
    public static string DefaultDirectory() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } directory ? directory : Path.Combine(AppContext.BaseDirectory, FolderName);

    /// <summary>Reads every contract in <paramref name="directory"/>; throws <see cref="ContractException"/> naming every problem.</summary>
    public static SchemaCatalog Load(string directory)
    {
        var (datasets, problems) = Check(directory);
        return problems.Count > 0 ? throw new ContractException(problems) : new SchemaCatalog(datasets);
    }

    /// <summary>Reads and checks every contract in <paramref name="directory"/>: the usable datasets and every problem found.</summary>
    public static (IReadOnlyList<DatasetSchema> Datasets, IReadOnlyList<ContractProblem> Problems) Check(string directory)
    {
        if (!Directory.Exists(directory))
            return ([], [new ContractProblem(directory, "", "is not a folder: no contracts can be read")]);
        var files = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            return ([], [new ContractProblem(directory, "", "holds no contract (*.json): at least one dataset is needed")]);
        var datasets = new List<DatasetSchema>();
        var problems = new List<ContractProblem>();
        foreach (var file in files)
        {
            string json;
            try
            {
                json = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new ContractProblem(file, "", $"cannot be read: {e.Message}"));
                continue;
            }
            var (dataset, fileProblems) = ContractReader.Read(json, file);
            problems.AddRange(fileProblems);
            if (dataset is not null)
                datasets.Add(dataset);
        }
        problems.AddRange(CatalogProblems(datasets));
        return (datasets, problems);
    }

    /// <summary>Problems between datasets: two with one name (one lake folder), or two that would claim every file with one header.</summary>
    internal static List<ContractProblem> CatalogProblems(IReadOnlyList<DatasetSchema> datasets)
    {
        var problems = new List<ContractProblem>();
        if (datasets.Count == 0)
            problems.Add(new ContractProblem("(catalog)", "", "has no dataset: at least one is needed"));
        foreach (var dataset in datasets.Where(d => d.Columns is not { Count: > 0 and <= SchemaCatalog.MaxColumns }))
            problems.Add(new ContractProblem(dataset.Source, "schema.fields", $"dataset '{dataset.Name}' must have 1 to {SchemaCatalog.MaxColumns} columns"));
        foreach (var twins in datasets.GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add(new ContractProblem(Files(twins), "name", $"'{twins.Key}' names more than one dataset; each needs its own lake folder"));
        foreach (var twins in datasets.GroupBy(d => (d.Header, d.LandingPrefix)).Where(g => g.Count() > 1))
        {
            problems.Add(new ContractProblem(Files(twins), "schema.fields",
                $"{string.Join(" and ", twins.Select(d => d.Name))} have the same header{(twins.Key.LandingPrefix is { } p ? $" and landing prefix '{p}'" : "")}: every such file would match both"));
        }
        return problems;
    }

    private static string Files(IEnumerable<DatasetSchema> datasets) =>
        string.Join(" and ", datasets.Select(d => d.Source.Length == 0 ? d.Name : Path.GetFileName(d.Source)));
}
