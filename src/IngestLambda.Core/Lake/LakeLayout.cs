using System.Globalization;

namespace IngestLambda.Core.Lake;

/// <summary>The prefixes of the lake; every one is configurable and ends with '/'.</summary>
public sealed record LakePrefixes
{
    public string Landing { get; init; } = "landing/";
    public string Raw { get; init; } = "Raw/Local/CSV/";
    public string Quarantine { get; init; } = "quarantine/";
    public string Manifest { get; init; } = "manifests/";

    public static LakePrefixes Default { get; } = new();
}

/// <summary>
/// Where each object goes, as DESIGN.md fixes it. The date is the event time in UTC, so a retried event lands in
/// the same place; only the last path segment of the landing key names the file.
/// </summary>
public sealed class LakeLayout(LakePrefixes prefixes)
{
    public LakePrefixes Prefixes { get; } = prefixes;

    public static LakeLayout Default { get; } = new(LakePrefixes.Default);

    /// <summary>True when the key lies under the landing prefix and names a file (not a folder marker).</summary>
    public bool IsLandingFile(string key) =>
        key.StartsWith(Prefixes.Landing, StringComparison.Ordinal) && !key.EndsWith('/') && key.Length > Prefixes.Landing.Length;

    public static string FileName(string key) => key[(key.LastIndexOf('/') + 1)..];

    public string RawKey(string dataset, DateTimeOffset eventTime, string sourceKey) =>
        $"{Prefixes.Raw}{dataset}/{DatePath(eventTime)}/{FileName(sourceKey)}";

    public string QuarantineKey(DateTimeOffset eventTime, string sourceKey) =>
        $"{Prefixes.Quarantine}{DatePath(eventTime)}/{FileName(sourceKey)}";

    public string QuarantineReportKey(DateTimeOffset eventTime, string sourceKey) =>
        QuarantineKey(eventTime, sourceKey) + ".report.json";

    public string ManifestKey(string dataset, DateTimeOffset eventTime, string sourceKey) =>
        $"{Prefixes.Manifest}{dataset}/{DatePath(eventTime)}/{FileName(sourceKey)}.json";

    private static string DatePath(DateTimeOffset eventTime) =>
        eventTime.UtcDateTime.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture);
}
