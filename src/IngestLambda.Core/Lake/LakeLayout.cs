using System.Globalization;

namespace IngestLambda.Core.Lake;

/// <summary>The prefixes of the lake; every one is configurable and ends with '/'.</summary>
public sealed record LakePrefixes
{
    public string Landing { get; init; } = "landing/";
    public string Raw { get; init; } = "Raw/Local/CSV/";
    public string Quarantine { get; init; } = "quarantine/";
    public string Manifest { get; init; } = "manifests/";
    /// <summary>Typed Parquet copies of accepted files (docs/contracts.md "Trusted zone").</summary>
    public string Trusted { get; init; } = "Trusted/Local/Parquet/";

    public static LakePrefixes Default { get; } = new();
}

/// <summary>
/// Where each object goes, as docs/contracts.md ("Lake layout") fixes it. The date is the event time in UTC, so a retried event lands in
/// the same place. Below the date folder stands the key relative to the landing prefix (<c>&lt;path&gt;</c>), so two
/// landing keys never share a destination: <c>landing/vendor-a/daily.csv</c> → <c>…/dd/vendor-a/daily.csv</c>.
/// </summary>
public sealed record LakeLayout(LakePrefixes Prefixes)
{
    public static LakeLayout Default { get; } = new(LakePrefixes.Default);

    /// <summary>True when the key lies under the landing prefix and names a file (not a folder marker).</summary>
    public bool IsLandingFile(string key) =>
        key.StartsWith(Prefixes.Landing, StringComparison.Ordinal) && !key.EndsWith('/') && key.Length > Prefixes.Landing.Length;

    /// <summary>The key relative to the landing prefix: the <c>&lt;path&gt;</c> that every destination key ends with.</summary>
    public string RelativePath(string sourceKey)
    {
        if (!IsLandingFile(sourceKey))
            throw new ArgumentException($"'{sourceKey}' is not a file under the landing prefix '{Prefixes.Landing}'.", nameof(sourceKey));
        return sourceKey[Prefixes.Landing.Length..];
    }

    public string RawKey(string dataset, DateTimeOffset eventTime, string sourceKey) =>
        $"{Prefixes.Raw}{dataset}/{DatePath(eventTime)}/{RelativePath(sourceKey)}";

    /// <summary>
    /// The Parquet copy of an accepted file: <c>&lt;path&gt;</c> loses its <c>.csv</c> or <c>.csv.gz</c> suffix (any case)
    /// and gains <c>.parquet</c>: <c>landing/vendor-a/daily.csv.gz</c> → <c>…/dd/vendor-a/daily.parquet</c>.
    /// </summary>
    public string TrustedKey(string dataset, DateTimeOffset eventTime, string sourceKey)
    {
        var path = RelativePath(sourceKey);
        foreach (var suffix in (ReadOnlySpan<string>)[".csv.gz", ".csv"])
        {
            if (path.Length > suffix.Length && path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                path = path[..^suffix.Length];
                break;
            }
        }
        return $"{Prefixes.Trusted}{dataset}/{DatePath(eventTime)}/{path}.parquet";
    }

    /// <summary>
    /// The manifest that belongs to a key under the Raw prefix: the same <c>&lt;Dataset&gt;/&lt;yyyy&gt;/&lt;MM&gt;/&lt;dd&gt;/&lt;path&gt;</c>
    /// under the manifest prefix, plus <c>.json</c>; null for a key that is not a file under Raw.
    /// </summary>
    public string? ManifestKeyOfRaw(string rawKey) =>
        rawKey.StartsWith(Prefixes.Raw, StringComparison.Ordinal) && rawKey.Length > Prefixes.Raw.Length && !rawKey.EndsWith('/')
            ? $"{Prefixes.Manifest}{rawKey[Prefixes.Raw.Length..]}.json"
            : null;

    public string QuarantineKey(DateTimeOffset eventTime, string sourceKey) =>
        $"{Prefixes.Quarantine}{DatePath(eventTime)}/{RelativePath(sourceKey)}";

    public string QuarantineReportKey(DateTimeOffset eventTime, string sourceKey) =>
        QuarantineKey(eventTime, sourceKey) + ".report.json";

    public string ManifestKey(string dataset, DateTimeOffset eventTime, string sourceKey) =>
        $"{Prefixes.Manifest}{dataset}/{DatePath(eventTime)}/{RelativePath(sourceKey)}.json";

    private static string DatePath(DateTimeOffset eventTime) =>
        eventTime.UtcDateTime.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture);
}
