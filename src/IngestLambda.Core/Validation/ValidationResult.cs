using System.Text.Json.Serialization;
using IngestLambda.Core.Profiling;

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

    /// <summary>
    /// Base64 of the big-endian CRC64NVME of every byte of the object as stored, exactly as S3 prints
    /// <c>x-amz-checksum-crc64nvme</c>. Null only in a report of version 1, which predates it.
    /// </summary>
    [JsonPropertyName("crc64nvme")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Crc64Nvme { get; init; }

    /// <summary>Lower-case hex SHA-256 of every byte of the object as stored; only with INTEGRITY_SHA256=true.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Sha256 { get; init; }

    /// <summary>The checksum S3 says it stored and whether the read matched it; null when S3 said none (or for a local file).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StoredChecksum? StoredChecksum { get; init; }

    /// <summary>LF, CRLF, mixed or none.</summary>
    public required string LineEnding { get; init; }

    public required bool Bom { get; init; }

    /// <summary>"none" or "gzip" (<see cref="ContentEncodings.ReportName"/>).</summary>
    public string Compression { get; init; } = "none";

    /// <summary>Bytes of the CSV content: <see cref="Bytes"/> for a plain file, the decompressed size for gzip.</summary>
    public long UncompressedBytes { get; init; }

    /// <summary>All errors found, up to the cap (<see cref="ErrorCountCapped"/>); <see cref="Errors"/> lists at most MaxReportedErrors of them.</summary>
    public required long ErrorCount { get; init; }

    /// <summary>
    /// Counting stopped at the cap (ValidationOptions.ErrorCountCap): the file has at least <see cref="ErrorCount"/>
    /// errors, and past the cap only its lines were counted (rows and line endings stay exact). Written only when true.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ErrorCountCapped { get; init; }

    public required IReadOnlyList<ValidationError> Errors { get; init; }

    /// <summary>Accepted files: the profile of the CSV content (docs/contracts.md "Profile"); the report puts it beside <c>validation</c>.</summary>
    [JsonIgnore]
    public FileProfile? Profile { get; init; }
}
