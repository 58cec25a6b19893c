using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Core.Profiling;
using IngestLambda.Core.Quality;

namespace IngestLambda.Host.Operations;

/// <param name="Dataset">Only this dataset; null for every dataset under the manifest prefix.</param>
/// <param name="Date">The day to compare with the day before it that has a profile; null for each dataset's newest day.</param>
internal sealed record QualityRequest(string Bucket, string ManifestPrefix, string? Dataset, DateOnly? Date, DriftRules Rules);

/// <summary>A manifest left out, and why (no profile, not JSON, unreadable).</summary>
internal sealed record SkippedManifest(string Key, string Reason);

/// <summary>One dataset's answer: its two snapshots and the drifts between them, or the problem that stopped it.</summary>
internal sealed record DatasetQuality(string Dataset, Snapshot? Newest, Snapshot? Previous, IReadOnlyList<Drift> Drifts, string? Problem);

internal sealed record QualityResult(IReadOnlyList<DatasetQuality> Datasets, IReadOnlyList<SkippedManifest> Skipped);

/// <summary>
/// <c>bootstrap quality</c> (docs/contracts.md "Drift"): from the manifests alone (never the data), each dataset's
/// newest day (or the day asked for) against the latest earlier day that has a profile. One listing of the manifest
/// prefix gives every dataset and day from the keys (<c>manifests/&lt;Dataset&gt;/&lt;yyyy&gt;/&lt;MM&gt;/&lt;dd&gt;/…json</c>);
/// then only the manifests of the days compared are read. A manifest without profile (reportVersion 1) or that is not
/// JSON is skipped and named; the other manifests and datasets go on.
/// </summary>
internal sealed class QualityCheck(IAmazonS3 s3)
{
    private const int ReadConcurrency = 8;

    public async Task<QualityResult> RunAsync(QualityRequest request, CancellationToken cancellationToken)
    {
        var prefix = request.ManifestPrefix + (request.Dataset is null ? "" : request.Dataset + "/");
        Dictionary<string, SortedDictionary<DateOnly, List<string>>> days;
        try
        {
            days = await ListDaysAsync(request.Bucket, request.ManifestPrefix, prefix, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (CannotStartException.IsAccessFailure(e))
        {
            throw new CannotStartException($"listing s3://{request.Bucket}/{prefix} failed ({CannotStartException.Describe(e)}); nothing was compared", e);
        }

        if (days.Count == 0)
            return new QualityResult([new DatasetQuality(request.Dataset ?? "*", null, null, [],
                $"no manifests under s3://{request.Bucket}/{prefix}, so no snapshot to compare")], []);
        var skipped = new ConcurrentBag<SkippedManifest>();
        var datasets = new List<DatasetQuality>();
        foreach (var (dataset, byDay) in days.OrderBy(d => d.Key, StringComparer.Ordinal))
            datasets.Add(await CompareAsync(request, dataset, byDay, skipped, cancellationToken).ConfigureAwait(false));
        return new QualityResult(datasets, [.. skipped.OrderBy(s => s.Key, StringComparer.Ordinal)]);
    }

    private async Task<DatasetQuality> CompareAsync(QualityRequest request, string dataset, SortedDictionary<DateOnly, List<string>> byDay,
        ConcurrentBag<SkippedManifest> skipped, CancellationToken cancellationToken)
    {
        var day = request.Date ?? byDay.Keys.Last();
        if (!byDay.TryGetValue(day, out var keys))
            return new DatasetQuality(dataset, null, null, [], $"no manifests on {Format(day)}");
        var newest = await SnapshotAsync(request.Bucket, dataset, day, keys, skipped, cancellationToken).ConfigureAwait(false);
        if (newest is null)
            return new DatasetQuality(dataset, null, null, [], $"no manifest with a profile on {Format(day)}");

        var earlier = byDay.Keys.Where(d => d < day).Reverse().ToArray();
        foreach (var previousDay in earlier)
        {
            var previous = await SnapshotAsync(request.Bucket, dataset, previousDay, byDay[previousDay], skipped, cancellationToken).ConfigureAwait(false);
            if (previous is not null)
                return new DatasetQuality(dataset, newest, previous, DriftComparer.Compare(previous, newest, request.Rules), null);
        }
        var looked = earlier.Length == 0 ? "there is no earlier day" : $"none of the {earlier.Length} earlier days has a manifest with a profile";
        return new DatasetQuality(dataset, newest, null, [], $"no previous snapshot to compare {Format(day)} with: {looked}");
    }

    /// <summary>The day's profiles combined, or null when none of its manifests has one.</summary>
    private async Task<Snapshot?> SnapshotAsync(string bucket, string dataset, DateOnly day, List<string> keys,
        ConcurrentBag<SkippedManifest> skipped, CancellationToken cancellationToken)
    {
        var profiles = new FileProfile?[keys.Count];
        await Parallel.ForAsync(0, keys.Count, new ParallelOptions { MaxDegreeOfParallelism = ReadConcurrency, CancellationToken = cancellationToken },
            async (i, cancel) => profiles[i] = await ReadProfileAsync(bucket, keys[i], skipped, cancel).ConfigureAwait(false)).ConfigureAwait(false);
        var found = profiles.OfType<FileProfile>().ToArray();
        return found.Length == 0 ? null : Snapshot.Combine(dataset, day, found);
    }

    private async Task<FileProfile?> ReadProfileAsync(string bucket, string key, ConcurrentBag<SkippedManifest> skipped, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        catch (Exception e) when (CannotStartException.IsAccessFailure(e))
        {
            skipped.Add(new SkippedManifest(key, $"could not be read ({CannotStartException.Describe(e)})"));
            return null;
        }

        ManifestProfile manifest;
        try
        {
            manifest = ProfileJson.ReadManifest(body);
        }
        catch (JsonException e)
        {
            skipped.Add(new SkippedManifest(key, $"is not a readable manifest ({e.Message})"));
            return null;
        }
        if (manifest.Profile is null)
            skipped.Add(new SkippedManifest(key, manifest.ReportVersion < 2
                ? $"has no profile (reportVersion {manifest.ReportVersion}, written before profiles)"
                : "has no profile"));
        return manifest.Profile;
    }

    /// <summary>Every manifest key under <paramref name="prefix"/>, by dataset and day; other keys (claims) are not manifests.</summary>
    private async Task<Dictionary<string, SortedDictionary<DateOnly, List<string>>>> ListDaysAsync(string bucket, string manifestPrefix, string prefix,
        CancellationToken cancellationToken)
    {
        var days = new Dictionary<string, SortedDictionary<DateOnly, List<string>>>(StringComparer.Ordinal);
        var list = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        do
        {
            var page = await s3.ListObjectsV2Async(list, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                if (ParseKey(item.Key, manifestPrefix) is not var (dataset, day))
                    continue;
                var byDay = days.TryGetValue(dataset, out var found) ? found : days[dataset] = [];
                (byDay.TryGetValue(day, out var keys) ? keys : byDay[day] = []).Add(item.Key);
            }
            list.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (list.ContinuationToken is not null);
        return days;
    }

    /// <summary>The dataset and day of <c>&lt;prefix&gt;&lt;Dataset&gt;/&lt;yyyy&gt;/&lt;MM&gt;/&lt;dd&gt;/&lt;path&gt;.json</c>, else null.</summary>
    internal static (string Dataset, DateOnly Day)? ParseKey(string key, string manifestPrefix)
    {
        if (!key.StartsWith(manifestPrefix, StringComparison.Ordinal) || !key.EndsWith(".json", StringComparison.Ordinal))
            return null;
        var parts = key[manifestPrefix.Length..].Split('/', 5);
        if (parts.Length < 5 || parts[0].Length == 0 || parts[4].Length == 0)
            return null;
        return DateOnly.TryParseExact($"{parts[1]}-{parts[2]}-{parts[3]}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? (parts[0], day)
            : null;
    }

    internal static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
