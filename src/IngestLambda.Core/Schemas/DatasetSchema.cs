using System.Text;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Schemas;

/// <summary>A dataset, compiled from its contract file: its name (the raw-zone folder), dialect and columns.</summary>
public sealed record DatasetSchema
{
    public required string Name { get; init; }
    public required IReadOnlyList<ColumnSchema> Columns { get; init; }

    public CsvDialect Dialect { get; init; } = CsvDialect.PipeUnquoted;

    /// <summary>When set, only files landed below this sub-prefix of the landing prefix are of this dataset (e.g. <c>ratings/</c>).</summary>
    public string? LandingPrefix { get; init; }

    /// <summary>The columns that identify a row (Table Schema <c>primaryKey</c>); they are required.</summary>
    public IReadOnlyList<string> PrimaryKey { get; init; } = [];

    /// <summary>The contract file this dataset was read from, for messages; empty when built in code.</summary>
    public string Source { get; init; } = "";

    /// <summary>The header line this dataset is recognised by: the column names joined by the delimiter.</summary>
    public string Header => string.Join(Dialect.Delimiter, Columns.Select(c => c.Name));

    private byte[]? _headerBytes;
    private CompiledColumn[]? _compiledColumns;

    internal ReadOnlySpan<byte> HeaderBytes => _headerBytes ??= Encoding.UTF8.GetBytes(Header);

    /// <summary>The rules, compiled once per schema rather than once per file.</summary>
    internal CompiledColumn[] CompiledColumns => _compiledColumns ??= [.. Columns.Select(c => new CompiledColumn(c))];

    /// <summary>Whether a file at <paramref name="landingPath"/> (relative to the landing prefix) may be of this dataset.</summary>
    public bool Covers(string landingPath) => LandingPrefix is null || landingPath.StartsWith(LandingPrefix, StringComparison.Ordinal);

    /// <summary>How the dataset is named in messages: its name and contract file.</summary>
    internal string Described => Source.Length == 0 ? Name : $"{Name} ({Path.GetFileName(Source)})";
}

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
