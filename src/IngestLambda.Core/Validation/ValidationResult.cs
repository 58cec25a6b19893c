using System.Text.Json.Serialization;

namespace IngestLambda.Core.Validation;

/// <summary>
/// What one pass over a file found: the verdict, the dataset and the facts of the report's <c>validation</c> object.
/// This is the type the report serialises (docs/contracts.md "Report"); the verdict and dataset stand at the report's top level.
/// </summary>
public sealed record ValidationResult
{
    [JsonIgnore]
    public bool Accepted { get; init; }

    /// <summary>"accepted" or "rejected", as in the report.</summary>
    [JsonIgnore]
    public string Outcome => Accepted ? "accepted" : "rejected";

    /// <summary>The recognised dataset, or null when the header matched no schema.</summary>
    [JsonIgnore]
    public string? Dataset { get; init; }

    /// <summary>Data rows (lines after the header).</summary>
    public required long Rows { get; init; }

    /// <summary>Bytes of the object as stored (the gzip bytes of a <c>.csv.gz</c>).</summary>
    public required long Bytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of every byte of the object as stored.</summary>
    public required string Sha256 { get; init; }

    /// <summary>LF, CRLF, mixed or none.</summary>
    public required string LineEnding { get; init; }

    public required bool Bom { get; init; }

    /// <summary>"none" or "gzip" (<see cref="ContentEncodings.ReportName"/>).</summary>
    public string Compression { get; init; } = "none";

    /// <summary>Bytes of the CSV content: <see cref="Bytes"/> for a plain file, the decompressed size for gzip.</summary>
    public long UncompressedBytes { get; init; }

    /// <summary>All errors found; <see cref="Errors"/> lists at most MaxReportedErrors of them.</summary>
    public required long ErrorCount { get; init; }

    public required IReadOnlyList<ValidationError> Errors { get; init; }
}
