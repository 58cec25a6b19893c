using System.Text.Json;
using IngestLambda.Analytics.Lake;
using IngestLambda.Core.Profiling;
using IngestLambda.Core.Quality;

namespace IngestLambda.Analytics.Query;

/// <summary>
/// Reads what the "Data quality" section shows from the manifests alone (never the data), as <c>bootstrap quality</c>
/// does: per dataset, the newest day with a profiled manifest and the latest earlier such day, each combined over its
/// files (<see cref="Snapshot.Combine"/>), compared by <see cref="DriftComparer"/>. Days are read newest first and only
/// until both are found. A manifest without a profile or not JSON is left out and named in a note; it never stops the others.
/// </summary>
internal static class DataQualityReader
{
    public static async Task<IReadOnlyList<DatasetQuality>> ReadAsync(ILake lake, IEnumerable<string> datasets, DriftRules rules, CancellationToken cancellationToken)
    {
        var wanted = datasets.ToHashSet(StringComparer.Ordinal);
        var manifests = await lake.ListManifestsAsync(wanted, cancellationToken).ConfigureAwait(false);
        var result = new List<DatasetQuality>();
        foreach (var dataset in wanted.Order(StringComparer.Ordinal))
        {
            var notes = new List<string>();
            var snapshots = new List<Snapshot>();
            foreach (var day in manifests.Where(m => m.Dataset == dataset).GroupBy(m => m.Date).OrderByDescending(g => g.Key))
            {
                var profiles = new List<FileProfile>();
                foreach (var manifest in day.OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    if (await ReadProfileAsync(lake, manifest, notes, cancellationToken).ConfigureAwait(false) is { } profile)
                        profiles.Add(profile);
                }
                if (profiles.Count > 0)
                    snapshots.Add(Snapshot.Combine(dataset, day.Key, profiles));
                if (snapshots.Count == 2)
                    break;
            }
            var (newest, previous) = (snapshots.ElementAtOrDefault(0), snapshots.ElementAtOrDefault(1));
            var drifts = newest is not null && previous is not null ? DriftComparer.Compare(previous, newest, rules) : [];
            result.Add(new DatasetQuality(dataset, newest, previous, drifts, notes));
        }
        return result;
    }

    private static async Task<FileProfile?> ReadProfileAsync(ILake lake, ManifestFile manifest, List<string> notes, CancellationToken cancellationToken)
    {
        try
        {
            var read = ProfileJson.ReadManifest(await lake.ReadAsync(manifest, cancellationToken).ConfigureAwait(false));
            if (read.Profile is null)
                notes.Add(read.ReportVersion < 2
                    ? $"{manifest.Name}: no profile (reportVersion {read.ReportVersion}, written before profiles), left out"
                    : $"{manifest.Name}: no profile, left out");
            return read.Profile;
        }
        catch (JsonException e)
        {
            notes.Add($"{manifest.Name}: not a readable manifest ({e.Message}), left out");
            return null;
        }
    }
}
