using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Contracts;

/// <summary>
/// The known datasets. A new dataset is a new contract file in <c>contracts/</c>, not new code (docs/contracts.md "Dataset contracts").
/// </summary>
public sealed class SchemaCatalog
{
    private static readonly Lazy<SchemaCatalog> Shipped = new(() => Load(ContractFolder.DefaultDirectory()));

    public SchemaCatalog(IReadOnlyList<DatasetSchema> datasets)
    {
        if (ContractFolder.CatalogProblems(datasets) is { Count: > 0 } problems)
            throw new ContractException(problems);
        Datasets = datasets;
    }

    private SchemaCatalog(IReadOnlyList<DatasetSchema> datasets, bool _) => Datasets = datasets;

    /// <summary>The validator tracks the fields of a line in a 64-bit mask.</summary>
    public const int MaxColumns = 64;

    public IReadOnlyList<DatasetSchema> Datasets { get; }

    /// <summary>
    /// The contracts deployed with the executable: the folder <c>CONTRACTS_DIR</c> names, else <c>contracts/</c> beside
    /// it; read on first use. A bad contract throws <see cref="ContractException"/> here, every time.
    /// </summary>
    public static SchemaCatalog BuiltIn => Shipped.Value;

    /// <summary>Reads every <c>*.json</c> contract in <paramref name="directory"/>; throws <see cref="ContractException"/> listing every problem.</summary>
    public static SchemaCatalog Load(string directory) => ContractFolder.Load(directory);

    /// <summary>The datasets a file landed at <paramref name="landingPath"/> (relative to the landing prefix) may belong to.</summary>
    public SchemaCatalog ForLandingPath(string landingPath)
    {
        if (Datasets.All(d => d.Covers(landingPath)))
            return this;
        return new SchemaCatalog([.. Datasets.Where(d => d.Covers(landingPath))], false);
    }
}
