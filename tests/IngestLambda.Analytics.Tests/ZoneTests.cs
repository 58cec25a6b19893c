using DuckDB.NET.Data;
using IngestLambda.Analytics.Tests.Infrastructure;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Analytics.Tests;

/// <summary>
/// `answers --zone trusted|raw` (issue #26): the trusted zone's Parquet copies and the raw zone's CSV give the same
/// answers on a lake of several days, and by default the trusted zone is read where it holds the snapshot. The Parquet
/// files here are written by DuckDB from the raw CSV, typed by the contracts, so this tests the reading side alone; the
/// function's own writer is checked against DuckDB in the function's tests.
/// </summary>
public sealed class ZoneTests : IDisposable
{
    private readonly TestLake _lake = new();

    public ZoneTests()
    {
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        foreach (var file in _lake.Files)
        {
            var schema = SchemaCatalog.BuiltIn.Datasets.Single(d => d.Name == file.Dataset);
            var csv = Path.Combine(_lake.Root, TestLake.Key(file));
            var stem = file.Path.EndsWith(".csv.gz", StringComparison.Ordinal) ? file.Path[..^".csv.gz".Length] : file.Path[..^".csv".Length];
            var parquet = Path.Combine(_lake.Root, $"Trusted/Local/Parquet/{file.Dataset}/{file.Date:yyyy'/'MM'/'dd}/{stem}.parquet");
            Directory.CreateDirectory(Path.GetDirectoryName(parquet)!);
            var columns = string.Join(", ", schema.Columns.Select(c => $"'{c.Name}': '{ColumnTypes.DuckDb(c.Type)}'"));
            using var copy = duck.CreateCommand();
            copy.CommandText = $"COPY (SELECT * FROM read_csv('{csv}', delim = '|', quote = '', escape = '', nullstr = '\\N', header = true, "
                + $"auto_detect = false, columns = {{{columns}}})) TO '{parquet}' (FORMAT parquet)";
            copy.ExecuteNonQuery();
        }
    }

    public void Dispose() => _lake.Dispose();

    [Theory]
    [InlineData("--all")]
    [InlineData("--date", "2026-11-26")]
    public async Task Trusted_and_raw_give_the_same_answers(params string[] snapshot)
    {
        var raw = await AnswersRun.RunAsync(null, ["--lake", _lake.Root, "--zone", "raw", "--json", .. snapshot]);
        var trusted = await AnswersRun.RunAsync(null, ["--lake", _lake.Root, "--zone", "trusted", "--json", .. snapshot]);

        Assert.True(raw.ExitCode == 0, raw.ToString());
        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.NotEmpty(raw.Answers.AverageRatingByGenreAndYear);
        AnswersAssert.Equal(raw.Answers, trusted.Answers);
    }

    [Fact]
    public async Task By_default_the_trusted_zone_is_read_where_it_holds_the_snapshot_and_raw_otherwise()
    {
        var byDefault = await AnswersRun.RunAsync(null, "--lake", _lake.Root);
        Assert.True(byDefault.ExitCode == 0, byDefault.ToString());
        Assert.Contains("Trusted/Local/Parquet/", byDefault.StdOut, StringComparison.Ordinal);

        Directory.Delete(Path.Combine(_lake.Root, "Trusted"), recursive: true);
        var withoutTrusted = await AnswersRun.RunAsync(null, "--lake", _lake.Root);
        Assert.True(withoutTrusted.ExitCode == 0, withoutTrusted.ToString());
        Assert.Contains("Raw/Local/CSV/", withoutTrusted.StdOut, StringComparison.Ordinal);

        var askedForTrusted = await AnswersRun.RunAsync(null, "--lake", _lake.Root, "--zone", "trusted");
        Assert.Equal(1, askedForTrusted.ExitCode);
        Assert.Contains("no trusted data: no .parquet under", askedForTrusted.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_zone_is_a_usage_error()
    {
        var run = await AnswersRun.RunAsync(null, "--lake", _lake.Root, "--zone", "silver");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--zone takes trusted or raw, not 'silver'", run.StdErr, StringComparison.Ordinal);
    }
}
