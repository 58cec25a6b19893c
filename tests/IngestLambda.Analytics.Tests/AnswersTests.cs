using System.Text.Json;
using IngestLambda.Analytics.Tests.Infrastructure;

namespace IngestLambda.Analytics.Tests;

/// <summary>`answers --lake FOLDER` against a generated lake, checked against LINQ over the generated rows.</summary>
public sealed class AnswersTests : IDisposable
{
    private readonly TestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public async Task Default_snapshot_is_each_datasets_newest_day_with_nested_BOM_CRLF_and_gzip_files_and_nothing_outside_Raw()
    {
        var run = await AnswersRun.RunAsync(null, "--lake", _lake.Root, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var expected = ExpectedAnswers.Compute(_lake.Files.Where(f =>
            (f.Dataset == "Movies" && f.Date == TestLake.MoviesNew) || f.Dataset == "Series").ToList());
        Assert.Equal(3, expected.Snapshots.Single(s => s.Dataset == "Movies").Files);
        Assert.NotEmpty(expected.ProfessionsOfArtistsWithMoreThanThreeKnownTitles);
        AnswersAssert.Equal(expected, run.Answers);
    }

    [Fact]
    public async Task All_reads_every_day_and_the_newest_day_wins_for_an_id_seen_on_several()
    {
        var run = await AnswersRun.RunAsync(null, "--lake", _lake.Root, "--all", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var expected = ExpectedAnswers.Compute(_lake.Files);
        Assert.Equal("2026-11-24/2026-11-26", run.Answers.Snapshots.Single(s => s.Dataset == "Movies").Date);
        // Ids 40..60 are on both Movies days: 150 distinct ids, not 171.
        Assert.Equal(150, run.Answers.Snapshots.Single(s => s.Dataset == "Movies").Titles);
        AnswersAssert.Equal(expected, run.Answers);
    }

    [Fact]
    public async Task Date_picks_one_day_for_every_dataset_that_has_it()
    {
        var run = await AnswersRun.RunAsync(null, "--lake", _lake.Root, "--date", "2026-11-24", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        AnswersAssert.Equal(ExpectedAnswers.Compute(_lake.Files.Where(f => f.Date == TestLake.MoviesOld).ToList()), run.Answers);
        Assert.Equal(["Movies"], run.Answers.Snapshots.Select(s => s.Dataset));
    }

    [Fact]
    public async Task Json_has_exactly_the_documented_keys()
    {
        var run = await AnswersRun.RunAsync(null, "--lake", _lake.Root, "--json");

        using var document = JsonDocument.Parse(run.StdOut);
        var root = document.RootElement;
        Assert.Equal(["snapshots", "averageRatingByGenreAndYear", "votesVersusRating", "professionsOfArtistsWithMoreThanThreeKnownTitles", "countriesOfTopRatedTitles"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["dataset", "date", "files", "rows", "titles"], Keys(root.GetProperty("snapshots")[0]));
        Assert.Equal(["dataset", "genre", "year", "averageRating", "titles"], Keys(root.GetProperty("averageRatingByGenreAndYear")[0]));
        Assert.Equal(["dataset", "titles", "pearson", "pearsonLogVotes"], Keys(root.GetProperty("votesVersusRating")[0]));
        Assert.Equal(["Movies", "Series", "All"], root.GetProperty("votesVersusRating").EnumerateArray().Select(v => v.GetProperty("dataset").GetString()));
        Assert.Equal(["profession", "artists"], Keys(root.GetProperty("professionsOfArtistsWithMoreThanThreeKnownTitles")[0]));
        Assert.False(root.GetProperty("countriesOfTopRatedTitles").GetProperty("answerable").GetBoolean());
        Assert.Contains("country", root.GetProperty("countriesOfTopRatedTitles").GetProperty("reason").GetString());
        // Full precision: some mean is not a short decimal (e.g. 20/3), and it is printed with all its digits.
        Assert.Contains(root.GetProperty("averageRatingByGenreAndYear").EnumerateArray(),
            a => a.GetProperty("averageRating").GetRawText().Length > 10);
    }

    [Fact]
    public async Task Default_output_states_the_snapshot_and_the_headlines()
    {
        var run = await AnswersRun.RunAsync(null, "--lake", _lake.Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"Movies\s+2026-11-26\s+3\s+\d", run.StdOut);
        Assert.Matches(@"Series\s+2026-11-25\s+1\s+\d", run.StdOut);
        Assert.Contains("Q1", run.StdOut);
        Assert.Matches(@"All\s+[\d,]+\s+-?\d\.\d{4}\s+-?\d\.\d{4}", run.StdOut);
        Assert.Contains("Q4  Countries of the best-rated titles: not answerable.", run.StdOut);
    }

    [Fact]
    public async Task Report_is_one_self_contained_page_with_a_chart_per_question()
    {
        var report = Path.Combine(_lake.Root, "report.html");
        var run = await AnswersRun.RunAsync(null, "--lake", _lake.Root, "--report", report);

        Assert.True(run.ExitCode == 0, run.ToString());
        var html = await File.ReadAllTextAsync(report);
        // Q1 movies and series, Q2 movies and series, Q3.
        Assert.Equal(5, html.Split("<svg").Length - 1);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"url\((?!#)", html); // clip paths refer to ids inside the page
        Assert.DoesNotMatch(@"(src|href)\s*=\s*[""']?(https?:)?//", html);
        Assert.Contains("Drama", html);
        Assert.Contains("Movies: mean rating by genre and decade", html); // Q1 is the genre × decade heatmap
        Assert.Contains("Series: mean rating by genre and decade", html);
        // The data-quality section reads the manifests; the test lake's only one is not JSON: named, and the page is still written.
        Assert.Contains("<h2 id=\"data-quality\">Data quality</h2>", html);
        Assert.Contains("manifests/Movies/2026/11/28/movies.csv.json: not a readable manifest", html);
        // Several SVGs share one page: an id (a clip path) used twice would clip one chart with another's box.
        var ids = System.Text.RegularExpressions.Regex.Matches(html, @"\bid=""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static IEnumerable<string> Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name);
}
