namespace IngestLambda.Analytics.Query;

/// <summary>
/// The report's "Data quality" section for one dataset (docs/analytics.md "Data quality"): the profile of its newest
/// day with profiled manifests, the drift from the day before it, and what could not be read.
/// </summary>
/// <param name="Newest">Null when no manifest of the dataset has a profile.</param>
/// <param name="PreviousDay">The day compared against; null when there is none (then no drift is computed).</param>
/// <param name="Notes">Manifests left out, by name and why (written by an older version, not JSON).</param>
internal sealed record DatasetQuality(string Dataset, DayProfile? Newest, DateOnly? PreviousDay, IReadOnlyList<DriftRow> Drifts, IReadOnlyList<string> Notes);

/// <summary>A dataset's files of one day, their profiles combined.</summary>
internal sealed record DayProfile(DateOnly Day, int Files, long Rows, long? DistinctIds, IReadOnlyList<ColumnProfile> Columns);

/// <param name="Top">List columns: the most frequent items, most frequent first; empty otherwise.</param>
internal sealed record ColumnProfile(string Name, long Nulls, long Empties, long Distinct, double? Min, double? Max, double? Mean,
    int? MinBytes, int? MaxBytes, IReadOnlyList<TopItemCount> Top);

internal sealed record TopItemCount(string Value, long Count);

/// <summary>One change beyond its threshold between the previous and the newest day.</summary>
/// <param name="Column">Null for the file-level measures (rows, distinct titles).</param>
/// <param name="Measure">rows, distinctIds, nullRate, mean, topItemAppeared or topItemVanished.</param>
internal sealed record DriftRow(string? Column, string Measure, string? Item, string Previous, string Newest, string Change, string Limit);
