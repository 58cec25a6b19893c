namespace IngestLambda.Core.Validation;

/// <summary>What one pass over a file found: the verdict, the dataset and the facts of the report's <c>validation</c> object.</summary>
public sealed class ValidationResult
{
    public required bool Accepted { get; init; }

    /// <summary>"accepted" or "rejected", as in the report.</summary>
    public string Outcome => Accepted ? "accepted" : "rejected";

    /// <summary>The recognised dataset, or null when the header matched no schema.</summary>
    public required string? Dataset { get; init; }

    /// <summary>Data rows (lines after the header).</summary>
    public required long Rows { get; init; }

    public required long Bytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of every byte of the file.</summary>
    public required string Sha256 { get; init; }

    /// <summary>LF, CRLF, mixed or none.</summary>
    public required string LineEnding { get; init; }

    public required bool Bom { get; init; }

    /// <summary>All errors found; <see cref="Errors"/> lists at most MaxReportedErrors of them.</summary>
    public required long ErrorCount { get; init; }

    public required IReadOnlyList<ValidationError> Errors { get; init; }
}
