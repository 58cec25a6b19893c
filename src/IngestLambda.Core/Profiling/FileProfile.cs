using System.Text.Json.Serialization;

namespace IngestLambda.Core.Profiling;

/// <summary>
/// The profile of one file's CSV content, in its manifest and in <c>validate --json</c> (docs/contracts.md
/// "Profile"). Counts are of records (rows repeat per credited artist); <see cref="DistinctIds"/> estimates the
/// distinct titles where the dataset has an <c>id</c> column.
/// </summary>
public sealed record FileProfile
{
    public long Rows { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DistinctIds { get; init; }

    /// <summary>Each column by its header name, in header order.</summary>
    public IReadOnlyDictionary<string, ColumnStats> Columns { get; init; } = new Dictionary<string, ColumnStats>();
}

/// <summary>One column's figures. <see cref="Nulls"/>, <see cref="Empties"/> and <see cref="Distinct"/> always; the rest by kind.</summary>
public sealed record ColumnStats
{
    /// <summary>Missing values (the null marker, <c>\N</c>).</summary>
    public long Nulls { get; init; }

    /// <summary>Empty fields.</summary>
    public long Empties { get; init; }

    /// <summary>Distinct non-empty values, estimated (within ±2% at 1M).</summary>
    public long Distinct { get; init; }

    /// <summary>Numeric columns: the smallest value.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Min { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Max { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mean { get; init; }

    /// <summary>Text columns: the shortest non-empty value, in UTF-8 bytes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MinBytes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxBytes { get; init; }

    /// <summary>List columns: the 20 most frequent items, most frequent first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TopItem>? Top { get; init; }
}
