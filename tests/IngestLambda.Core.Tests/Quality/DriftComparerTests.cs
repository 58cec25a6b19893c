using IngestLambda.Core.Profiling;
using IngestLambda.Core.Quality;

namespace IngestLambda.Core.Tests.Quality;

/// <summary>Each drift rule at, and just past, its threshold; and what does not count as drift.</summary>
public class DriftComparerTests
{
    private static readonly DateOnly Monday = new(2026, 11, 23), Tuesday = new(2026, 11, 24);

    private static Snapshot Day(DateOnly day, long rows = 1000, long? ids = 400, long ratingNulls = 20, double mean = 6.5,
        params string[] genres) => new("Movies", day, 1, new FileProfile
        {
            Rows = rows,
            DistinctIds = ids,
            Columns = new Dictionary<string, ColumnStats>
            {
                ["notaMedia"] = new() { Nulls = ratingNulls, Distinct = 90, Min = 1, Max = 10, Mean = mean },
                ["genero"] = new() { Distinct = 30, Top = [.. (genres.Length == 0 ? ["Drama", "Comedy"] : genres).Select((g, i) => new TopItem(g, 100 - i))] },
                ["titulosMaisConhecidos"] = new() { Top = [new TopItem(Monday == day ? "tt0000001" : "tt0000002", 3)] },
            },
        });

    private static readonly DriftRules Rules = DriftRules.Default with { IgnoreColumns = ["titulosMaisConhecidos"] };

    [Fact]
    public void An_unchanged_day_has_no_drift()
    {
        Assert.Empty(DriftComparer.Compare(Day(Monday), Day(Tuesday), Rules));
    }

    [Fact]
    public void Changes_within_the_thresholds_are_not_drift()
    {
        var within = Day(Tuesday, rows: 1200, ids: 320, ratingNulls: 20 + 120, mean: 6.5 * 1.1);
        Assert.Empty(DriftComparer.Compare(Day(Monday), within, Rules));
    }

    [Fact]
    public void Half_the_ratings_turning_null_is_a_null_rate_drift()
    {
        var drift = Assert.Single(DriftComparer.Compare(Day(Monday), Day(Tuesday, ratingNulls: 500), Rules));

        Assert.Equal(new Drift("Movies", "notaMedia", "nullRate", null, 2, 50, "+48.0 pts", "+10 pts"), drift);
    }

    [Fact]
    public void Rows_and_distinct_titles_falling_past_the_threshold_are_drift_both_ways()
    {
        var drifts = DriftComparer.Compare(Day(Monday), Day(Tuesday, rows: 600, ids: 481), Rules);

        Assert.Equal([("rows", "-40.0%"), ("distinctIds", "+20.3%")], drifts.Select(d => (d.Measure, d.Change)));
        Assert.All(drifts, d => Assert.Equal("±20%", d.Limit));
    }

    [Fact]
    public void A_mean_moving_past_the_threshold_is_drift()
    {
        var drift = Assert.Single(DriftComparer.Compare(Day(Monday), Day(Tuesday, mean: 5.8), Rules));

        Assert.Equal(("notaMedia", "mean", "-10.8%"), (drift.Column, drift.Measure, drift.Change));
    }

    [Fact]
    public void An_item_appearing_in_or_vanishing_from_the_top_is_drift_except_in_ignored_columns()
    {
        var drifts = DriftComparer.Compare(Day(Monday, genres: ["Drama", "Comedy"]), Day(Tuesday, genres: ["Drama", "Reality-TV"]), Rules);

        Assert.Equal([("Reality-TV", "topItemAppeared"), ("Comedy", "topItemVanished")], drifts.Select(d => (d.Item!, d.Measure)));
        Assert.Equal(2, DriftComparer.Compare(Day(Monday), Day(Tuesday), DriftRules.Default).Count); // titulosMaisConhecidos, not ignored
        Assert.Empty(DriftComparer.Compare(Day(Monday, genres: ["Drama", "Comedy"]), Day(Tuesday, genres: ["Drama", "Reality-TV"]),
            Rules with { TopItems = false }));
    }

    [Fact]
    public void Rows_from_zero_are_drift_and_stay_readable()
    {
        var drift = Assert.Single(DriftComparer.Compare(Day(Monday, rows: 0, ids: null), Day(Tuesday, ids: null), Rules with { NullRatePoints = 100 }));
        Assert.Equal(("rows", "from 0"), (drift.Measure, drift.Change));
    }
}
