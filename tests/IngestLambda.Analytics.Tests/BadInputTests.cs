using System.Text;
using IngestLambda.Analytics.Tests.Infrastructure;

namespace IngestLambda.Analytics.Tests;

/// <summary>Bad input gets a clear message and the documented exit code: 1 no data or an unreadable file, 2 usage or access.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public async Task A_lake_without_raw_data_exits_1_and_says_where_it_looked()
    {
        var empty = Directory.CreateTempSubdirectory("answers-empty-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(empty, "landing"));
            await File.WriteAllTextAsync(Path.Combine(empty, "landing", "movies.csv"), LakeRows.MoviesHeader + "\n");
            var run = await AnswersRun.RunAsync(null, "--lake", empty);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("no raw data", run.StdErr);
            Assert.Contains("Raw/Local/CSV/", run.StdErr);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task A_day_without_data_exits_1()
    {
        var run = await AnswersRun.RunAsync(null, "--lake", _lake.Root, "--date", "2026-11-27");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no raw data for 2026-11-27", run.StdErr);
    }

    [Fact]
    public async Task RAW_PREFIX_moves_what_is_read()
    {
        var run = await AnswersRun.RunAsync(new Dictionary<string, string> { ["RAW_PREFIX"] = "lake/raw/" }, "--lake", _lake.Root);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("lake/raw/", run.StdErr);
    }

    [Theory]
    [InlineData("field count", "tt0000001|A|A|1999|90|Drama|7.5|100|actor|x|Name|1950|\\N|actor")]
    [InlineData("a rating with a comma", "tt0000001|A|A|1999|90|Drama|7,5|100|actor|x|Name|1950|\\N|actor|tt0000002")]
    [InlineData("a year that is text", "tt0000001|A|A|nineteen|90|Drama|7.5|100|actor|x|Name|1950|\\N|actor|tt0000002")]
    public async Task A_file_that_does_not_parse_exits_1_naming_the_file_and_the_line(string _, string badLine)
    {
        var good = LakeRows.Lines("Movies", LakeRows.Titles(1, Enumerable.Range(1, 3), LakeRows.Artists(1, 3))).Take(3);
        var text = LakeRows.MoviesHeader + "\n" + string.Join('\n', good) + "\n" + badLine + "\n";
        _lake.Write("Raw/Local/CSV/Movies/2026/11/26/hand-copied.csv", Encoding.UTF8.GetBytes(text));

        var run = await AnswersRun.RunAsync(null, "--lake", _lake.Root);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Raw/Local/CSV/Movies/2026/11/26/hand-copied.csv", run.StdErr);
        Assert.Contains("Raw/Local/CSV/Movies/2026/11/26/hand-copied.csv: line 5: ", run.StdErr);
        // DuckDB's advice on type detection does not apply: no type is guessed.
        Assert.DoesNotContain("auto-detected", run.StdErr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_file_with_another_datasets_header_exits_1_naming_the_file_line_1_and_the_column()
    {
        _lake.Write("Raw/Local/CSV/Movies/2026/11/26/series-by-mistake.csv", Encoding.UTF8.GetBytes(LakeRows.SeriesHeader + "\n"));

        var run = await AnswersRun.RunAsync(null, "--lake", _lake.Root);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("series-by-mistake.csv: line 1: not a Movies header: column 5 is 'anoTermino', expected 'tempoMinutos'", run.StdErr);
    }

    [Theory]
    [InlineData(new string[0], "--lake is required")]
    [InlineData(new[] { "--lake" }, "--lake needs a value")]
    [InlineData(new[] { "--lake", "x", "--date", "26/11/2026" }, "yyyy-MM-dd")]
    [InlineData(new[] { "--lake", "x", "--date", "2026-11-26", "--all" }, "exclude each other")]
    [InlineData(new[] { "--lake", "x", "--frobnicate" }, "unknown argument '--frobnicate'")]
    public async Task Usage_errors_exit_2_with_the_reason_and_the_usage(string[] args, string reason)
    {
        var run = await AnswersRun.RunAsync(null, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(reason, run.StdErr);
        Assert.Contains("usage: answers --lake", run.StdErr);
    }

    [Fact]
    public async Task A_lake_folder_that_does_not_exist_exits_2()
    {
        var run = await AnswersRun.RunAsync(null, "--lake", Path.Combine(_lake.Root, "nowhere"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not exist", run.StdErr);
    }
}
