using IngestLambda.Core.Quality;

namespace IngestLambda.Analytics.Query;

/// <summary>
/// The report's "Data quality" section for one dataset (docs/analytics.md "Data quality"): its newest day with a
/// profiled manifest, the latest earlier such day, the drifts between them, and the manifests left out.
/// </summary>
/// <param name="Newest">Null when no manifest of the dataset has a profile.</param>
/// <param name="Previous">Null when no earlier day has one (then there is no drift to compute).</param>
/// <param name="Notes">Manifests left out, by name and why (written before profiles, not JSON).</param>
internal sealed record DatasetQuality(string Dataset, Snapshot? Newest, Snapshot? Previous, IReadOnlyList<Drift> Drifts, IReadOnlyList<string> Notes);
