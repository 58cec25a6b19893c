using IngestLambda.Core.Profiling;

namespace IngestLambda.Core.Quality;

/// <summary>
/// A dataset's profile of one day: the profiles of the files accepted that day, combined (docs/contracts.md
/// "Drift"). Rows, nulls and empties add up; distinct titles add up too (the files of a day are parts of one delivery,
/// not copies); a column's distinct values take the largest file's estimate (the same values recur across parts);
/// min, max and byte lengths take the extremes; a mean is weighted by each file's non-empty values; list items add
/// their counts and the top 20 are taken again.
/// </summary>
public sealed record Snapshot(string Dataset, DateOnly Day, int Files, FileProfile Profile)
{
    public static Snapshot Combine(string dataset, DateOnly day, IReadOnlyList<FileProfile> profiles)
    {
        if (profiles.Count == 0)
            throw new ArgumentException("A snapshot needs at least one profile.", nameof(profiles));
        if (profiles.Count == 1)
            return new Snapshot(dataset, day, 1, profiles[0]);

        var names = profiles.SelectMany(p => p.Columns.Keys).Distinct(StringComparer.Ordinal);
        var columns = new Dictionary<string, ColumnStats>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var parts = profiles.Where(p => p.Columns.ContainsKey(name)).Select(p => (p.Rows, Stats: p.Columns[name])).ToArray();
            columns[name] = CombineColumn(parts);
        }
        var ids = profiles.Select(p => p.DistinctIds).ToArray();
        return new Snapshot(dataset, day, profiles.Count, new FileProfile
        {
            Rows = profiles.Sum(p => p.Rows),
            DistinctIds = ids.All(i => i is not null) ? ids.Sum() : null,
            Columns = columns,
        });
    }

    private static ColumnStats CombineColumn((long Rows, ColumnStats Stats)[] parts)
    {
        var stats = parts.Select(p => p.Stats).ToArray();
        var withMean = parts.Where(p => p.Stats.Mean is not null).Select(p => (Weight: (double)(p.Rows - p.Stats.Nulls - p.Stats.Empties), Mean: p.Stats.Mean!.Value)).ToArray();
        var weight = withMean.Sum(m => m.Weight);
        var tops = stats.Where(s => s.Top is not null).SelectMany(s => s.Top!).ToArray();
        return new ColumnStats
        {
            Nulls = stats.Sum(s => s.Nulls),
            Empties = stats.Sum(s => s.Empties),
            Distinct = stats.Max(s => s.Distinct),
            Min = stats.Min(s => s.Min),
            Max = stats.Max(s => s.Max),
            Mean = withMean.Length == 0 ? null : weight > 0 ? withMean.Sum(m => m.Weight * m.Mean) / weight : withMean.Average(m => m.Mean),
            MinBytes = stats.Min(s => s.MinBytes),
            MaxBytes = stats.Max(s => s.MaxBytes),
            Top = stats.All(s => s.Top is null) ? null :
            [
                .. tops.GroupBy(t => t.Value, StringComparer.Ordinal).Select(g => new TopItem(g.Key, g.Sum(t => t.Count)))
                    .OrderByDescending(t => t.Count).ThenBy(t => t.Value, StringComparer.Ordinal).Take(ColumnAccumulator.TopCount),
            ],
        };
    }
}
