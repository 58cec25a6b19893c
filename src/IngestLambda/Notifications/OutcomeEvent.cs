using System.Text.Json.Serialization;

namespace IngestLambda.Notifications;

/// <summary>
/// A file's outcome as published on EventBridge (docs/contracts.md "Outcome events"): <c>source</c>
/// <see cref="Source"/>, one of the detail types, and an <see cref="OutcomeDetail"/>.
/// </summary>
public static class OutcomeEvent
{
    public const string Source = "ingest-lambda";
    public const string FileAccepted = "File Accepted";
    public const string FileRejected = "File Rejected";
    /// <summary>A snapshot that drifted from the one before it (the quality checks, docs/contracts.md "Outcome events").</summary>
    public const string FileDrifted = "File Drifted";
    /// <summary>How many errors (or drifts) the detail carries; the report has them all.</summary>
    public const int MaxListed = 5;
}

/// <summary>
/// The event's <c>detail</c>:
/// <code>
/// {"outcome":"rejected","dataset":"Movies",
///  "source":{"bucket":"lake","key":"landing/movies.csv","versionId":"3HL4…","eTag":"9b2c…"},
///  "destination":{"bucket":"lake","key":"quarantine/2026/11/26/movies.csv","reportKey":"quarantine/2026/11/26/movies.csv.report.json"},
///  "rows":2000,"errorCount":12,
///  "errors":[{"line":7,"column":"ano","code":"invalid-year","message":"…"}]}
/// </code>
/// <c>errors</c> holds the first <see cref="OutcomeEvent.MaxListed"/> (empty when accepted); <c>drifts</c> is only on
/// <c>File Drifted</c>.
/// </summary>
public sealed record OutcomeDetail
{
    public required string Outcome { get; init; }
    public string? Dataset { get; init; }
    public required OutcomeSource Source { get; init; }
    public OutcomeDestination? Destination { get; init; }
    public long? Rows { get; init; }
    public long? ErrorCount { get; init; }
    public IReadOnlyList<OutcomeError> Errors { get; init; } = [];
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Drifts { get; init; }
}

public sealed record OutcomeSource(string? Bucket, string? Key, string? VersionId, string? ETag);

/// <summary>Where the file went: Raw and its manifest, or quarantine and its report.</summary>
public sealed record OutcomeDestination(string? Bucket, string? Key, string? ReportKey);

public sealed record OutcomeError(long Line, string Column, string Code, string Message);

/// <summary>Source-generated (AOT-safe) JSON for the detail: camelCase, every property present but <c>drifts</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(OutcomeDetail))]
public sealed partial class OutcomeDetailJsonContext : JsonSerializerContext;
