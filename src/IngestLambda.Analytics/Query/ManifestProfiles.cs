using System.Globalization;
using System.Text.Json;

namespace IngestLambda.Analytics.Query;

/// <summary>
/// Reads the <c>profile</c> of manifests (docs/contracts.md "Report", <c>reportVersion</c> 2; version 1 has none),
/// combines a day's files and compares two days under the default drift thresholds. A small reader of its own, so
/// the report does not wait for the function's profile types (docs/analytics.md "Data quality").
/// </summary>
internal static class ManifestProfiles
{
    /// <summary>The default thresholds of <c>bootstrap quality</c> (docs/contracts.md "Drift rules").</summary>
    public const double RowsPercent = 20, DistinctIdsPercent = 20, NullRatePoints = 10, MeanPercent = 10;

    /// <summary>One manifest's profile as it stands in the JSON; null when it has none (an older version).</summary>
    /// <exception cref="JsonException">Not a report object.</exception>
    public static DayProfile? Read(ReadOnlySpan<byte> json, DateOnly day)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new JsonException("not a report object");
        if (!root.TryGetProperty("profile", out var profile) || profile.ValueKind != JsonValueKind.Object)
            return null;
        var columns = new List<ColumnProfile>();
        if (profile.TryGetProperty("columns", out var all) && all.ValueKind == JsonValueKind.Object)
        {
            foreach (var column in all.EnumerateObject())
            {
                var c = column.Value;
                var top = c.TryGetProperty("top", out var items) && items.ValueKind == JsonValueKind.Array
                    ? items.EnumerateArray().Select(i => new TopItemCount(i.GetProperty("value").GetString() ?? "", i.GetProperty("count").GetInt64())).ToList()
                    : [];
                columns.Add(new ColumnProfile(column.Name, Long(c, "nulls") ?? 0, Long(c, "empties") ?? 0, Long(c, "distinct") ?? 0,
                    Double(c, "min"), Double(c, "max"), Double(c, "mean"), (int?)Long(c, "minBytes"), (int?)Long(c, "maxBytes"), top));
            }
        }
        return new DayProfile(day, 1, Long(profile, "rows") ?? 0, Long(profile, "distinctIds"), columns);
    }

    /// <summary>
    /// A day's files as one: rows, nulls, empties and distinct titles add up; a column's distinct values take the
    /// largest file's estimate; min and max the extremes; a mean is weighted by each file's non-null values; list
    /// items add their counts.
    /// </summary>
    public static DayProfile Combine(IReadOnlyList<DayProfile> files)
    {
        if (files.Count == 1)
            return files[0];
        var names = files.SelectMany(f => f.Columns.Select(c => c.Name)).Distinct(StringComparer.Ordinal);
        var columns = names.Select(name =>
        {
            var parts = files.SelectMany(f => f.Columns.Where(c => c.Name == name).Select(c => (f.Rows, Column: c))).ToList();
            var cs = parts.Select(p => p.Column).ToList();
            var weighted = parts.Where(p => p.Column.Mean is not null).Select(p => (Weight: (double)Math.Max(p.Rows - p.Column.Nulls - p.Column.Empties, 0), Mean: p.Column.Mean!.Value)).ToList();
            var weight = weighted.Sum(w => w.Weight);
            double? mean = weighted.Count == 0 ? null : weight > 0 ? weighted.Sum(w => w.Weight * w.Mean) / weight : weighted.Average(w => w.Mean);
            var top = cs.SelectMany(c => c.Top).GroupBy(t => t.Value, StringComparer.Ordinal)
                .Select(g => new TopItemCount(g.Key, g.Sum(t => t.Count))).OrderByDescending(t => t.Count).ThenBy(t => t.Value, StringComparer.Ordinal).Take(20).ToList();
            return new ColumnProfile(name, cs.Sum(c => c.Nulls), cs.Sum(c => c.Empties), cs.Max(c => c.Distinct), cs.Min(c => c.Min), cs.Max(c => c.Max),
                mean, cs.Min(c => c.MinBytes), cs.Max(c => c.MaxBytes), top);
        }).ToList();
        var ids = files.Select(f => f.DistinctIds).ToList();
        return new DayProfile(files[0].Day, files.Count, files.Sum(f => f.Rows), ids.All(i => i is not null) ? ids.Sum() : null, columns);
    }

    /// <summary>Every change from <paramref name="previous"/> to <paramref name="newest"/> beyond the default thresholds.</summary>
    public static IReadOnlyList<DriftRow> Compare(DayProfile previous, DayProfile newest)
    {
        var drifts = new List<DriftRow>();
        Percent(drifts, null, "rows", previous.Rows, newest.Rows, RowsPercent);
        if (previous.DistinctIds is { } idsBefore && newest.DistinctIds is { } idsAfter)
            Percent(drifts, null, "distinctIds", idsBefore, idsAfter, DistinctIdsPercent);
        foreach (var now in newest.Columns)
        {
            if (previous.Columns.FirstOrDefault(c => c.Name == now.Name) is not { } then)
                continue;
            if (previous.Rows > 0 && newest.Rows > 0)
            {
                var (before, after) = (100.0 * then.Nulls / previous.Rows, 100.0 * now.Nulls / newest.Rows);
                if (after - before > NullRatePoints)
                    drifts.Add(new DriftRow(now.Name, "nullRate", null, $"{Number(before)}%", $"{Number(after)}%", $"+{Number(after - before)} pts", $"+{NullRatePoints} pts"));
            }
            if (then.Mean is { } meanBefore && now.Mean is { } meanAfter)
                Percent(drifts, now.Name, "mean", meanBefore, meanAfter, MeanPercent);
            if (then.Top.Count > 0 && now.Top.Count > 0)
            {
                foreach (var item in now.Top.Where(t => then.Top.All(o => o.Value != t.Value)))
                    drifts.Add(new DriftRow(now.Name, "topItemAppeared", item.Value, "", Count(item.Count), "appeared", "top 20"));
                foreach (var item in then.Top.Where(t => now.Top.All(o => o.Value != t.Value)))
                    drifts.Add(new DriftRow(now.Name, "topItemVanished", item.Value, Count(item.Count), "", "vanished", "top 20"));
            }
        }
        return drifts;
    }

    private static void Percent(List<DriftRow> drifts, string? column, string measure, double before, double after, double limit)
    {
        if (before == after)
            return;
        var change = before == 0 ? double.PositiveInfinity : (after - before) / Math.Abs(before) * 100;
        if (Math.Abs(change) > limit)
            drifts.Add(new DriftRow(column, measure, null, Number(before), Number(after),
                double.IsInfinity(change) ? "from 0" : change.ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + "%", $"±{limit}%"));
    }

    /// <summary>Years stay years (1998, not 1,998); large counts get separators.</summary>
    public static string Number(double value) => value.ToString(Math.Abs(value) < 10_000 ? "0.##" : "#,0.##", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private static double? Double(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
