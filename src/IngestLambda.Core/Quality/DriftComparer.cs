using System.Globalization;
using IngestLambda.Core.Profiling;

namespace IngestLambda.Core.Quality;

/// <summary>One change between two snapshots beyond a threshold (docs/contracts.md "Drift").</summary>
/// <param name="Column">Null for the file-level measures (rows, distinct titles).</param>
/// <param name="Measure">rows, distinctIds, nullRate, mean, topItemAppeared or topItemVanished.</param>
/// <param name="Previous">The previous snapshot's figure (a null rate in percent); null for a top item that appeared.</param>
/// <param name="Newest">The newest snapshot's figure; null for a top item that vanished.</param>
/// <param name="Change">The change as read: "+49.0 pts", "-40.0%", "appeared", "vanished".</param>
/// <param name="Limit">The rule it broke: "±20%", "+10 pts", "top 20".</param>
public sealed record Drift(string Dataset, string? Column, string Measure, string? Item, double? Previous, double? Newest, string Change, string Limit);

/// <summary>Compares a dataset's previous snapshot with its newest one under <see cref="DriftRules"/>.</summary>
public static class DriftComparer
{
    /// <summary>A change exactly at a threshold is within it, whatever the rounding of its division.</summary>
    private const double Tolerance = 1e-9;

    public static IReadOnlyList<Drift> Compare(Snapshot previous, Snapshot newest, DriftRules rules)
    {
        var drifts = new List<Drift>();
        var dataset = newest.Dataset;
        var (before, after) = (previous.Profile, newest.Profile);
        Percent(drifts, dataset, null, "rows", before.Rows, after.Rows, rules.RowsPercent);
        if (before.DistinctIds is { } idsBefore && after.DistinctIds is { } idsAfter)
            Percent(drifts, dataset, null, "distinctIds", idsBefore, idsAfter, rules.DistinctIdsPercent);

        foreach (var (name, now) in after.Columns)
        {
            if (!before.Columns.TryGetValue(name, out var then) || rules.IgnoreColumns.Contains(name, StringComparer.Ordinal))
                continue;
            NullRate(drifts, dataset, name, before.Rows, then, after.Rows, now, rules.NullRatePoints);
            if (then.Mean is { } meanBefore && now.Mean is { } meanAfter)
                Percent(drifts, dataset, name, "mean", meanBefore, meanAfter, rules.MeanPercent);
            if (rules.TopItems && then.Top is { } topBefore && now.Top is { } topAfter)
                TopItems(drifts, dataset, name, topBefore, topAfter);
        }
        return drifts;
    }

    private static void Percent(List<Drift> drifts, string dataset, string? column, string measure, double before, double after, double limit)
    {
        if (before == after)
            return;
        // From nothing to something is an unbounded change.
        var change = before == 0 ? double.PositiveInfinity : (after - before) / Math.Abs(before) * 100;
        if (Math.Abs(change) > limit + Tolerance)
            drifts.Add(new Drift(dataset, column, measure, null, before, after,
                double.IsInfinity(change) ? "from 0" : change.ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + "%", $"±{Number(limit)}%"));
    }

    private static void NullRate(List<Drift> drifts, string dataset, string column, long rowsBefore, ColumnStats before, long rowsAfter, ColumnStats after, double limit)
    {
        if (rowsBefore == 0 || rowsAfter == 0)
            return;
        var rateBefore = 100.0 * before.Nulls / rowsBefore;
        var rateAfter = 100.0 * after.Nulls / rowsAfter;
        var points = rateAfter - rateBefore;
        if (points > limit + Tolerance)
            drifts.Add(new Drift(dataset, column, "nullRate", null, Math.Round(rateBefore, 2), Math.Round(rateAfter, 2),
                points.ToString("+0.0", CultureInfo.InvariantCulture) + " pts", $"+{Number(limit)} pts"));
    }

    private static void TopItems(List<Drift> drifts, string dataset, string column, IReadOnlyList<TopItem> before, IReadOnlyList<TopItem> after)
    {
        var then = before.ToDictionary(t => t.Value, t => t.Count, StringComparer.Ordinal);
        var now = after.ToDictionary(t => t.Value, t => t.Count, StringComparer.Ordinal);
        var limit = $"top {ColumnAccumulator.TopCount}";
        foreach (var item in after.Where(t => !then.ContainsKey(t.Value)))
            drifts.Add(new Drift(dataset, column, "topItemAppeared", item.Value, null, item.Count, "appeared", limit));
        foreach (var item in before.Where(t => !now.ContainsKey(t.Value)))
            drifts.Add(new Drift(dataset, column, "topItemVanished", item.Value, item.Count, null, "vanished", limit));
    }

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
