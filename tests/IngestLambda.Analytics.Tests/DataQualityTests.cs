using System.Text.Json.Nodes;
using IngestLambda.Analytics.Lake;
using IngestLambda.Analytics.Output;
using IngestLambda.Analytics.Query;
using IngestLambda.Core.Profiling;
using IngestLambda.Core.Quality;

namespace IngestLambda.Analytics.Tests;

/// <summary>
/// The report's "Data quality" section from manifests in a lake folder: the newest profiled day (its files
/// combined), the drift from the day before, and manifests without a profile or not JSON named and left out.
/// </summary>
public sealed class DataQualityTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("quality-lake-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Manifest(string dataset, string day, string name, JsonObject? profile, int version = 2)
    {
        var path = Path.Combine(_root, "manifests", dataset, day.Replace('-', '/'), name + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var report = new JsonObject { ["reportVersion"] = version, ["outcome"] = "accepted", ["dataset"] = dataset };
        if (profile is not null)
            report["profile"] = profile;
        File.WriteAllText(path, report.ToJsonString());
    }

    /// <summary>A movies profile: <paramref name="ratingNulls"/> of the ratings missing, their mean given.</summary>
    private static JsonObject Profile(long rows, long ids, long ratingNulls, double ratingMean, params (string Genre, long Count)[] genres) => new()
    {
        ["rows"] = rows,
        ["distinctIds"] = ids,
        ["columns"] = new JsonObject
        {
            ["id"] = new JsonObject { ["nulls"] = 0, ["empties"] = 0, ["distinct"] = ids, ["minBytes"] = 9, ["maxBytes"] = 10 },
            ["notaMedia"] = new JsonObject { ["nulls"] = ratingNulls, ["empties"] = 0, ["distinct"] = 90, ["min"] = 1.0, ["max"] = 10.0, ["mean"] = ratingMean },
            ["genero"] = new JsonObject
            {
                ["nulls"] = 0, ["empties"] = 0, ["distinct"] = 20,
                ["top"] = new JsonArray(genres.Select(g => (JsonNode)new JsonObject { ["value"] = g.Genre, ["count"] = g.Count }).ToArray()),
            },
        },
    };

    private Task<IReadOnlyList<DatasetQuality>> ReadAsync() =>
        DataQualityReader.ReadAsync(new FolderLake(_root), ["Movies", "Series"], DriftRules.Default, CancellationToken.None);

    [Fact]
    public async Task The_newest_day_is_compared_with_the_latest_earlier_profiled_day_and_drift_beyond_a_threshold_is_listed()
    {
        Manifest("Movies", "2026-11-20", "movies.csv", Profile(5000, 1000, 0, 6.0, ("Drama", 900)));     // older than the two compared
        Manifest("Movies", "2026-11-24", "movies.csv", Profile(2000, 500, 100, 6.0, ("Drama", 400), ("Comedy", 300)));
        Manifest("Movies", "2026-11-25", "legacy.csv", null, version: 1);                                    // no profile: skipped, named
        Manifest("Movies", "2026-11-26", "a.csv", Profile(600, 150, 300, 5.0, ("Drama", 120), ("Sport", 90)));
        Manifest("Movies", "2026-11-26", "b.csv", Profile(600, 150, 300, 7.0, ("Drama", 130), ("Sport", 10)));

        var movies = (await ReadAsync()).Single(q => q.Dataset == "Movies");

        var newest = movies.Newest!;
        Assert.Equal(new DateOnly(2026, 11, 26), newest.Day);
        Assert.Equal(2, newest.Files);
        Assert.Equal(1200, newest.Profile.Rows);
        Assert.Equal(300, newest.Profile.DistinctIds);
        var rating = newest.Profile.Columns["notaMedia"];
        Assert.Equal(600, rating.Nulls);
        Assert.Equal(6.0, rating.Mean!.Value, 10); // weighted by the 300 rated rows of each file
        Assert.Equal([new TopItem("Drama", 250), new TopItem("Sport", 100)], newest.Profile.Columns["genero"].Top!);

        // 2026-11-25 has no profile, so the previous day is 2026-11-24.
        Assert.Equal(new DateOnly(2026, 11, 24), movies.Previous!.Day);
        var drifts = movies.Drifts.Select(d => (d.Column, d.Measure, d.Item)).ToList();
        Assert.Contains((null, "rows", null), drifts);                       // 2000 → 1200: -40%
        Assert.Contains((null, "distinctIds", null), drifts);                // 500 → 300
        Assert.Contains(("notaMedia", "nullRate", null), drifts);            // 5% → 50%
        Assert.Contains(("genero", "topItemAppeared", "Sport"), drifts);
        Assert.Contains(("genero", "topItemVanished", "Comedy"), drifts);
        Assert.DoesNotContain(("notaMedia", "mean", null), drifts);          // 6.0 → 6.0
        Assert.Equal("-40.0%", movies.Drifts.Single(d => d.Measure == "rows").Change);
        Assert.Contains(movies.Notes, n => n.Contains("legacy.csv.json: no profile (reportVersion 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changes_within_the_thresholds_are_no_drift_and_a_single_day_has_nothing_to_compare()
    {
        Manifest("Movies", "2026-11-24", "movies.csv", Profile(2000, 500, 100, 6.0, ("Drama", 400)));
        Manifest("Movies", "2026-11-26", "movies.csv", Profile(1700, 450, 250, 6.5, ("Drama", 380))); // -15%, +10 pts, +8.3%
        Manifest("Series", "2026-11-26", "series.csv", Profile(100, 20, 0, 7.0, ("Drama", 10)));

        var quality = await ReadAsync();

        Assert.Empty(quality.Single(q => q.Dataset == "Movies").Drifts);
        var series = quality.Single(q => q.Dataset == "Series");
        Assert.NotNull(series.Newest);
        Assert.Null(series.Previous);
        Assert.Empty(series.Drifts);
    }

    [Fact]
    public async Task A_corrupt_manifest_is_named_and_the_other_datasets_are_still_read()
    {
        Manifest("Series", "2026-11-26", "series.csv", Profile(100, 20, 0, 7.0, ("Drama", 10)));
        var corrupt = Path.Combine(_root, "manifests", "Movies", "2026", "11", "26", "movies.csv.json");
        Directory.CreateDirectory(Path.GetDirectoryName(corrupt)!);
        File.WriteAllText(corrupt, "id|titulo\ntt1|x\n");

        var quality = await ReadAsync();

        var movies = quality.Single(q => q.Dataset == "Movies");
        Assert.Null(movies.Newest);
        Assert.Contains(movies.Notes, n => n.StartsWith("manifests/Movies/2026/11/26/movies.csv.json: not a readable manifest", StringComparison.Ordinal));
        Assert.Equal(100, quality.Single(q => q.Dataset == "Series").Newest!.Profile.Rows);
    }

    [Fact]
    public async Task Manifests_without_a_profile_are_named_five_at_most()
    {
        for (var day = 1; day <= 8; day++)
            Manifest("Movies", $"2026-11-{day:00}", "movies.csv", null);

        var quality = await ReadAsync();
        var html = new System.Text.StringBuilder();
        QualitySection.Append(html, quality, DriftRules.Default, "manifests/");

        Assert.Equal(8, quality.Single(q => q.Dataset == "Movies").Notes.Count);
        Assert.Contains("manifests/Movies/2026/11/08/movies.csv.json: no profile, left out", html.ToString(), StringComparison.Ordinal);
        Assert.Contains("and 3 more manifests left out", html.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("2026/11/03/movies.csv.json", html.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_section_shows_each_datasets_profile_and_its_drift_table()
    {
        Manifest("Movies", "2026-11-24", "movies.csv", Profile(2000, 500, 100, 6.0, ("Drama", 400)));
        Manifest("Movies", "2026-11-26", "movies.csv", Profile(2000, 500, 1000, 6.0, ("Drama", 400)));

        var html = new System.Text.StringBuilder();
        QualitySection.Append(html, await ReadAsync(), DriftRules.Default, "manifests/");
        var page = html.ToString();

        Assert.Contains("<h2 id=\"data-quality\">Data quality</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<h3>Movies</h3>", page, StringComparison.Ordinal);
        Assert.Contains("<td>notaMedia</td><td>1,000 (50%)</td>", page, StringComparison.Ordinal);
        Assert.Contains("1 change(s) beyond a threshold since 2026-11-24", page, StringComparison.Ordinal);
        Assert.Contains("<td>5%</td><td>50%</td><td>+45.0 pts</td><td>+10 pts</td>", page, StringComparison.Ordinal);
        Assert.Contains("No manifest of this dataset has a profile yet.", page, StringComparison.Ordinal); // Series
    }
}
