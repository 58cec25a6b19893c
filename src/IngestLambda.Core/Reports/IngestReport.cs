using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IngestLambda.Core.Profiling;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Reports;

/// <summary>
/// The one schema shared by manifests (accepted files) and quarantine reports (rejected files), and printed by
/// <c>bootstrap validate --json</c> without <see cref="Source"/> and <see cref="Destination"/>.
/// </summary>
public sealed class IngestReport
{
    /// <summary>
    /// 2: <c>validation.crc64nvme</c> and <c>validation.storedChecksum</c>; <c>validation.sha256</c> only with
    /// INTEGRITY_SHA256=true; <c>profile</c> on accepted files. 1: <c>validation.sha256</c> always, no profile. Readers accept both (docs/contracts.md "Report").
    /// </summary>
    public const int CurrentVersion = 2;

    public int ReportVersion { get; init; } = CurrentVersion;
    public required string Outcome { get; init; }
    public required string? Dataset { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SourceInfo? Source { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DestinationInfo? Destination { get; init; }

    /// <summary>The accepted file's typed Parquet copy (docs/contracts.md "Trusted zone"); absent when TRUSTED_FORMAT=none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TrustedInfo? Trusted { get; init; }

    public required ValidationResult Validation { get; init; }

    /// <summary>Accepted files only: the figures of the CSV content (docs/contracts.md "Profile"). Version 1 reports have none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FileProfile? Profile { get; init; }

    /// <summary>Present when this manifest comes from validating again a version an earlier run rejected (<c>backfill --reprocess-rejected</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReprocessedInfo? Reprocessed { get; init; }

    public required DateTimeOffset ProcessedAt { get; init; }
    public required long DurationMs { get; init; }

    public static IngestReport From(ValidationResult result, DateTimeOffset processedAt, long durationMs,
        SourceInfo? source = null, DestinationInfo? destination = null, ReprocessedInfo? reprocessed = null, TrustedInfo? trusted = null) => new()
    {
        Reprocessed = reprocessed,
        Trusted = trusted,
        Outcome = result.Outcome,
        Dataset = result.Dataset,
        Source = source,
        Destination = destination,
        Validation = result,
        Profile = result.Accepted ? result.Profile : null,
        ProcessedAt = processedAt,
        DurationMs = durationMs,
    };
}

public sealed record SourceInfo(string Bucket, string Key, string? VersionId, string ETag, long Size, DateTimeOffset EventTime);

public sealed record DestinationInfo(string Bucket, string Key);

/// <summary>The trusted zone's Parquet object of an accepted file: its key, rows, bytes and row groups.</summary>
public sealed record TrustedInfo(string Key, long Rows, long Bytes, int RowGroups);

/// <summary>The earlier verdict on the same source version, which stays in quarantine as history.</summary>
public sealed record ReprocessedInfo(string PreviousOutcome, string QuarantineKey, string ReportKey);

/// <summary>Writes reports with the one JSON option set (<see cref="JsonDefaults"/>): UTF-8 text as it is.</summary>
public static class ReportJson
{
    private static readonly ReportJsonContext Context = new(JsonDefaults.Apply(ReportJsonContext.Default.Options));

    /// <summary>For <c>bootstrap validate --json</c>.</summary>
    public static string Serialize(IngestReport report) => JsonSerializer.Serialize(report, Context.IngestReport);

    /// <summary>For manifests and quarantine reports in S3.</summary>
    public static byte[] SerializeToUtf8Bytes(IngestReport report) => JsonSerializer.SerializeToUtf8Bytes(report, Context.IngestReport);

    /// <summary>
    /// What <c>backfill --trusted-only</c> needs from a stored manifest (docs/contracts.md "Trusted zone"): its outcome,
    /// dataset, source, trusted section and the CRC64NVME of the bytes it describes. Throws <see cref="JsonException"/>
    /// when the text is not a report.
    /// </summary>
    public static StoredReport ReadStored(ReadOnlySpan<byte> report)
    {
        var root = ParseObject(report);
        return new StoredReport(
            root["outcome"]?.GetValue<string>() ?? throw new JsonException("The report has no outcome."),
            root["dataset"]?.GetValue<string>(),
            root["source"]?.Deserialize(Context.SourceInfo),
            root["trusted"]?.Deserialize(Context.TrustedInfo),
            root["validation"]?["crc64nvme"]?.GetValue<string>());
    }

    /// <summary>
    /// The stored report with its <c>trusted</c> section set (in its place, before <c>validation</c>) and every other
    /// property as it was, <c>processedAt</c> included: only the Parquet is new (<c>backfill --trusted-only</c>).
    /// </summary>
    public static byte[] WithTrusted(ReadOnlySpan<byte> report, TrustedInfo trusted)
    {
        var root = ParseObject(report);
        root.Remove("trusted");
        var validation = root.IndexOf("validation");
        root.Insert(validation < 0 ? root.Count : validation, "trusted", JsonSerializer.SerializeToNode(trusted, Context.TrustedInfo));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Context.Options.Encoder, Indented = Context.Options.WriteIndented }))
            root.WriteTo(writer);
        return buffer.ToArray();
    }

    private static JsonObject ParseObject(ReadOnlySpan<byte> report) =>
        JsonNode.Parse(report, documentOptions: JsonDefaults.StrictDocumentOptions) as JsonObject ?? throw new JsonException("The report is not a JSON object.");
}

/// <summary>The parts of a stored report that <see cref="ReportJson.ReadStored"/> reads.</summary>
public sealed record StoredReport(string Outcome, string? Dataset, SourceInfo? Source, TrustedInfo? Trusted, string? Crc64Nvme);

/// <summary>Source-generated (AOT-safe) JSON for reports: camelCase, as docs/contracts.md ("Report") shows.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(IngestReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
