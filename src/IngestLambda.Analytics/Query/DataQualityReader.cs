using System.Text.Json;
using IngestLambda.Analytics.Lake;

namespace IngestLambda.Analytics.Query;

/// <summary>
/// Reads what the "Data quality" section shows from the manifests alone (never the data): per dataset, the newest
/// day with a profiled manifest and the latest earlier such day. Days are read newest first and only until both are
/// found. A manifest without a profile or not JSON is left out and named in a note; it never stops the others.
/// </summary>
internal static class DataQualityReader
{
    public static async Task<IReadOnlyList<DatasetQuality>> ReadAsync(ILake lake, IEnumerable<string> datasets, CancellationToken cancellationToken)
    {
        var wanted = datasets.ToHashSet(StringComparer.Ordinal);
        var manifests = await lake.ListManifestsAsync(wanted, cancellationToken).ConfigureAwait(false);
        var result = new List<DatasetQuality>();
        foreach (var dataset in wanted.Order(StringComparer.Ordinal))
        {
            var notes = new List<string>();
            var days = new List<DayProfile>();
            foreach (var day in manifests.Where(m => m.Dataset == dataset).GroupBy(m => m.Date).OrderByDescending(g => g.Key))
            {
                var profiles = new List<DayProfile>();
                foreach (var manifest in day.OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    try
                    {
                        if (ManifestProfiles.Read(await lake.ReadAsync(manifest, cancellationToken).ConfigureAwait(false), day.Key) is { } profile)
                            profiles.Add(profile);
                        else
                            notes.Add($"{manifest.Name}: no profile (written by an older version), left out");
                    }
                    catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
                    {
                        notes.Add($"{manifest.Name}: not a readable manifest ({e.Message}), left out");
                    }
                }
                if (profiles.Count > 0)
                    days.Add(ManifestProfiles.Combine(profiles));
                if (days.Count == 2)
                    break;
            }
            var drifts = days.Count == 2 ? ManifestProfiles.Compare(days[1], days[0]) : [];
            result.Add(new DatasetQuality(dataset, days.ElementAtOrDefault(0), days.Count == 2 ? days[1].Day : null, drifts, notes));
        }
        return result;
    }
}
