using System.Text;
using System.Text.Json;
using IngestLambda.Core.Profiling;
using IngestLambda.Core.Quality;
using IngestLambda.Core.Reports;
using IngestLambda.Core.Validation;
using IngestLambda.DataGen;
using IngestLambda.Host.Cli;
using IngestLambda.Host.Operations;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Operations;

/// <summary>Issue #27: <c>bootstrap quality</c> against a real S3 API (moto_server), on manifests the test writes.</summary>
public sealed class QualityTests(MotoServer moto) : LakeTests(moto)
{
    private static readonly HashSet<string> Numeric = ["anoLancamento", "anoTermino", "tempoMinutos", "notaMedia", "numeroVotos", "anoNascimento", "anoFalecimento"];
    private static readonly HashSet<string> Lists = ["genero", "profissao", "titulosMaisConhecidos"];

    /// <summary>The profile of generated rows; <paramref name="nullRatings"/> turns every other rating into <c>\N</c>.</summary>
    private static FileProfile Profile(Dataset dataset, int seed, bool nullRatings = false)
    {
        var columns = SyntheticCsv.Columns(dataset);
        var profiler = new FileProfiler([.. columns.Select(c => new ProfiledColumn(c,
            Numeric.Contains(c) ? ColumnKind.Numeric : Lists.Contains(c) ? ColumnKind.List : ColumnKind.Text))]);
        var rating = columns.ToList().IndexOf("notaMedia");
        var row = 0;
        foreach (var fields in SyntheticCsv.Rows(dataset, seed).Take(2_000))
        {
            for (var c = 0; c < fields.Length; c++)
                profiler.Field(c, Encoding.UTF8.GetBytes(nullRatings && c == rating && row % 2 == 0 ? @"\N" : fields[c]));
            profiler.EndRecord();
            row++;
        }
        return profiler.Result();
    }

    private static byte[] Manifest(string dataset, FileProfile? profile, int version = IngestReport.CurrentVersion) => ReportJson.SerializeToUtf8Bytes(new IngestReport
    {
        ReportVersion = version,
        Outcome = "accepted",
        Dataset = dataset,
        ProcessedAt = DateTimeOffset.UnixEpoch,
        DurationMs = 1,
        Profile = profile,
        Validation = new ValidationResult { Accepted = true, Rows = profile?.Rows ?? 0, Bytes = 1, LineEnding = "LF", Bom = false, ErrorCount = 0, Errors = [] },
    });

    private static async Task<(int Exit, string Out, string Err)> QualityAsync(TestLake lake, string? dataset = null, DateOnly? date = null, bool json = false)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var request = new QualityRequest(lake.Bucket, "manifests/", dataset, date, DriftRules.Default with { IgnoreColumns = ["titulosMaisConhecidos"] });
        var exit = await QualityCommand.RunWithAsync(lake.S3, request, json, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_day_whose_ratings_are_half_null_exits_1_with_that_row_and_an_unchanged_day_exits_0()
    {
        using var lake = await NewLakeAsync();
        await lake.PutAsync("manifests/Movies/2026/11/24/movies.csv.json", Manifest("Movies", Profile(Dataset.Movies, seed: 1)));
        await lake.PutAsync("manifests/Movies/2026/11/25/movies.csv.json", Manifest("Movies", Profile(Dataset.Movies, seed: 1)));
        await lake.PutAsync("manifests/Movies/2026/11/26/movies.csv.json", Manifest("Movies", Profile(Dataset.Movies, seed: 1, nullRatings: true)));

        var (exit, output, error) = await QualityAsync(lake);
        Assert.True(exit == ExitCodes.Failure, output + error);
        Assert.Contains("Movies: 2026-11-26 (1 file, 2000 rows) against 2026-11-25 (1 file, 2000 rows): 1 change beyond the thresholds", output, StringComparison.Ordinal);
        var row = Assert.Single(output.Split('\n'), line => line.StartsWith("Movies ", StringComparison.Ordinal));
        Assert.Matches(@"^Movies\s+notaMedia\s+nullRate\s+\d+(\.\d+)?\s+5\d(\.\d+)?\s+\+\d+\.\d pts\s+\+10 pts$", row);

        var (unchanged, unchangedOut, unchangedErr) = await QualityAsync(lake, date: new DateOnly(2026, 11, 25));
        Assert.True(unchanged == ExitCodes.Success, unchangedOut + unchangedErr);
        Assert.Contains("Movies: 2026-11-25 (1 file, 2000 rows) against 2026-11-24 (1 file, 2000 rows): no drift", unchangedOut, StringComparison.Ordinal);

        var (_, json, _) = await QualityAsync(lake, json: true);
        using var document = JsonDocument.Parse(json);
        var movies = document.RootElement.GetProperty("datasets")[0];
        Assert.Equal(("drift", "2026-11-26", "2026-11-25"), (movies.GetProperty("status").GetString(), movies.GetProperty("day").GetString(), movies.GetProperty("previousDay").GetString()));
        var drift = movies.GetProperty("drifts")[0];
        Assert.Equal(("notaMedia", "nullRate"), (drift.GetProperty("column").GetString(), drift.GetProperty("measure").GetString()));
        Assert.True(drift.GetProperty("newest").GetDouble() >= 50);
    }

    [Fact]
    public async Task A_dataset_without_a_previous_snapshot_exits_2_and_says_so()
    {
        using var lake = await NewLakeAsync();
        await lake.PutAsync("manifests/Series/2026/11/26/series.csv.json", Manifest("Series", Profile(Dataset.Series, seed: 2)));

        var (exit, output, error) = await QualityAsync(lake);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("quality: Series: no previous snapshot to compare 2026-11-26 with: there is no earlier day", error, StringComparison.Ordinal);
        Assert.Contains("Series: not compared", output, StringComparison.Ordinal);
        var (_, _, missing) = await QualityAsync(lake, dataset: "Movies");
        Assert.Contains($"no manifests under s3://{lake.Bucket}/manifests/Movies/", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_1_manifest_is_skipped_with_a_line_and_corrupt_json_is_named_while_other_datasets_go_on()
    {
        using var lake = await NewLakeAsync();
        // Movies: the newest day's second file is corrupt, and the day before has only a version 1 manifest.
        await lake.PutAsync("manifests/Movies/2026/11/24/movies.csv.json", Manifest("Movies", Profile(Dataset.Movies, seed: 3)));
        await lake.PutAsync("manifests/Movies/2026/11/25/old.csv.json", Manifest("Movies", null, version: 1));
        await lake.PutAsync("manifests/Movies/2026/11/26/movies.csv.json", Manifest("Movies", Profile(Dataset.Movies, seed: 3)));
        await lake.PutAsync("manifests/Movies/2026/11/26/broken.csv.json", "{ \"reportVersion\": 2, \"profile\": "u8.ToArray());
        await lake.PutAsync("manifests/Movies/2026/11/26/movies.csv.json.claim", "{}"u8.ToArray()); // not a manifest
        await lake.PutAsync("manifests/Series/2026/11/25/series.csv.json", Manifest("Series", Profile(Dataset.Series, seed: 4)));
        await lake.PutAsync("manifests/Series/2026/11/26/series.csv.json", Manifest("Series", Profile(Dataset.Series, seed: 4)));

        var (exit, output, error) = await QualityAsync(lake);

        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Contains($"quality: skipped s3://{lake.Bucket}/manifests/Movies/2026/11/26/broken.csv.json: is not a readable manifest", error, StringComparison.Ordinal);
        Assert.Contains($"quality: skipped s3://{lake.Bucket}/manifests/Movies/2026/11/25/old.csv.json: has no profile (reportVersion 1, written before profiles)",
            error, StringComparison.Ordinal);
        Assert.DoesNotContain(".claim", error, StringComparison.Ordinal);
        Assert.Contains("Movies: 2026-11-26 (1 file, 2000 rows) against 2026-11-24 (1 file, 2000 rows): no drift", output, StringComparison.Ordinal);
        Assert.Contains("Series: 2026-11-26 (1 file, 2000 rows) against 2026-11-25 (1 file, 2000 rows): no drift", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_bucket_is_an_access_error_and_exit_2()
    {
        using var lake = await NewLakeAsync();
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var request = new QualityRequest("no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "manifests/", null, null, DriftRules.Default);

        var exit = await QualityCommand.RunWithAsync(lake.S3, request, json: false, stdout, stderr, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("NoSuchBucket", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("nothing was compared", stderr.ToString(), StringComparison.Ordinal);
    }
}
