using System.Text;

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

    internal ReadOnlySpan<byte> HeaderBytes => _headerBytes ??= Encoding.UTF8.GetBytes(Header);

    /// <summary>Whether a file at <paramref name="landingPath"/> (relative to the landing prefix) may be of this dataset.</summary>
    public bool Covers(string landingPath) => LandingPrefix is null || landingPath.StartsWith(LandingPrefix, StringComparison.Ordinal);

    /// <summary>How the dataset is named in messages: its name and contract file.</summary>
    internal string Described => Source.Length == 0 ? Name : $"{Name} ({Path.GetFileName(Source)})";
}
