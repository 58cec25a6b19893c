using IngestLambda.Core.Reports;
using IngestLambda.Host.Cli;
using IngestLambda.Tests.Infrastructure;
using static IngestLambda.Tests.Operations.OperationsLake;

namespace IngestLambda.Tests.Operations;

/// <summary>Issue #13: <c>bootstrap backfill</c> and <c>--reprocess-rejected</c> against a real S3 API (moto_server).</summary>
public sealed class BackfillTests(MotoServer moto) : LakeTests(moto)
{
    [Fact]
    public async Task Backfill_files_every_landed_object_as_its_event_would_and_a_second_run_answers_duplicate()
    {
        using var lake = await NewLakeAsync();
        await FillAsync(lake);
        var date = await DatePathAsync(lake, "landing/movies.csv");

        var (results, stderr, anyFailed) = await BackfillAsync(lake);
        Assert.False(anyFailed, stderr);
        Assert.Equal(Files.Select(f => f.Key).Order(), results.Keys.Order()); // outside/ is not listed
        Assert.Contains("finished: 7 done", stderr, StringComparison.Ordinal);

        async Task AssertCopied(string key, string outcome, string destination, byte[] body)
        {
            var result = results[key];
            Assert.True(outcome == result.Outcome, $"{key}: {result.Outcome} ({result.Message})");
            Assert.Equal(destination, result.DestinationKey);
            Assert.Equal(TestLake.Sha256(body), TestLake.Sha256(await lake.GetBytesAsync(destination)));
            Assert.NotNull(await lake.HeadAsync(result.ReportKey!));
        }

        await AssertCopied("landing/movies.csv", Outcomes.Accepted, $"Raw/Local/CSV/Movies/{date}/movies.csv", TestFiles.Movies);
        await AssertCopied("landing/team-a/2026/series.csv", Outcomes.Accepted, $"Raw/Local/CSV/Series/{date}/team-a/2026/series.csv", TestFiles.Series);
        await AssertCopied("landing/bad/movies-bad.csv", Outcomes.Rejected, $"quarantine/{date}/bad/movies-bad.csv", TestFiles.BadMovies);
        await AssertCopied("landing/movies.csv.gz", Outcomes.Accepted, $"Raw/Local/CSV/Movies/{date}/movies.csv.gz", MoviesGz);
        await AssertCopied("landing/broken.csv.gz", Outcomes.Rejected, $"quarantine/{date}/broken.csv.gz", TruncatedGz);
        Assert.Equal(Outcomes.Duplicate, results["landing/already.csv"].Outcome);
        Assert.Equal(Outcomes.Skipped, results["landing/notes.txt"].Outcome);
        Assert.Contains(".csv.gz", results["landing/notes.txt"].Message, StringComparison.Ordinal);

        // The gzip manifest describes the stored object and its CSV.
        using (var manifest = await lake.GetJsonAsync($"manifests/Movies/{date}/movies.csv.gz.json"))
        {
            var validation = manifest.RootElement.GetProperty("validation");
            Assert.Equal("gzip", validation.GetProperty("compression").GetString());
            Assert.Equal(MoviesGz.Length, validation.GetProperty("bytes").GetInt64());
            Assert.Equal(TestLake.Crc64Nvme(MoviesGz), validation.GetProperty("crc64nvme").GetString());
            Assert.Equal(TestFiles.Movies.Length, validation.GetProperty("uncompressedBytes").GetInt64());
            Assert.Equal(2000, validation.GetProperty("rows").GetInt64());
        }
        using (var report = await lake.GetJsonAsync($"quarantine/{date}/broken.csv.gz.report.json"))
        {
            var error = report.RootElement.GetProperty("validation").GetProperty("errors")[0];
            Assert.Equal("invalid-gzip", error.GetProperty("code").GetString());
            Assert.Equal(TruncatedGz.Length, error.GetProperty("byteOffset").GetInt64());
            Assert.Contains("truncated", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var (again, againErr, againFailed) = await BackfillAsync(lake, concurrency: 1);
        Assert.False(againFailed, againErr);
        foreach (var (key, _) in Files.Where(f => f.Key != "landing/notes.txt"))
            Assert.True(again[key].Outcome == Outcomes.Duplicate, $"{key}: {again[key].Outcome} ({again[key].Message})");
        Assert.Equal(1, await lake.CountVersionsAsync($"manifests/Movies/{date}/movies.csv.json"));
        Assert.Equal(1, await lake.CountVersionsAsync($"quarantine/{date}/broken.csv.gz.report.json"));
    }

    [Fact]
    public async Task Dry_run_names_each_verdict_and_destination_and_writes_nothing()
    {
        using var lake = await NewLakeAsync();
        foreach (var (key, body) in Files)
            await lake.PutAsync(key, body);
        var date = await DatePathAsync(lake, "landing/movies.csv");

        var (results, stderr, anyFailed) = await BackfillAsync(lake, dryRun: true);
        Assert.False(anyFailed, stderr);
        Assert.Equal(Outcomes.Accepted, results["landing/movies.csv.gz"].Outcome);
        Assert.Equal($"Raw/Local/CSV/Movies/{date}/movies.csv.gz", results["landing/movies.csv.gz"].DestinationKey);
        Assert.StartsWith("dry run: would write", results["landing/movies.csv.gz"].Message, StringComparison.Ordinal);
        Assert.Equal(Outcomes.Rejected, results["landing/broken.csv.gz"].Outcome);
        Assert.Equal($"quarantine/{date}/broken.csv.gz", results["landing/broken.csv.gz"].DestinationKey);
        Assert.Equal(Outcomes.Skipped, results["landing/notes.txt"].Outcome);
        Assert.Equal(Files.Select(f => f.Key).Order(StringComparer.Ordinal), await lake.ListKeysAsync()); // nothing but the landed files
    }

    [Fact]
    public async Task Reprocess_rejected_files_a_rejected_version_again_after_the_rules_are_fixed()
    {
        using var lake = await NewLakeAsync();
        await lake.PutAsync("landing/movies.csv", TestFiles.Movies);
        var date = await DatePathAsync(lake, "landing/movies.csv");
        // Too strict a rule stands in for a schema that was too strict: lines of the sample are longer than 64 bytes.
        var strict = lake.Config(c => c with { Validation = c.Validation with { MaxLineBytes = 64 } });
        var quarantine = $"quarantine/{date}/movies.csv";
        var raw = $"Raw/Local/CSV/Movies/{date}/movies.csv";

        var (first, _, _) = await BackfillAsync(lake, strict);
        Assert.Equal(Outcomes.Rejected, first["landing/movies.csv"].Outcome);

        // Without the flag a rejected version stays a duplicate; with it but still too strict, nothing new is written.
        Assert.Equal(Outcomes.Duplicate, (await BackfillAsync(lake)).Results["landing/movies.csv"].Outcome);
        var still = (await BackfillAsync(lake, strict, reprocess: true)).Results["landing/movies.csv"];
        Assert.Equal(Outcomes.Duplicate, still.Outcome);
        Assert.Contains("still rejected", still.Message, StringComparison.Ordinal);
        Assert.Contains("line-too-long", still.Message, StringComparison.Ordinal);
        Assert.Equal(1, await lake.CountVersionsAsync(quarantine + ".report.json"));
        Assert.Empty(await lake.ListKeysAsync("Raw/"));

        // After the fix: accepted, copied to Raw; the quarantine copy and report stay as history; the manifest says so.
        var fixedRun = (await BackfillAsync(lake, reprocess: true)).Results["landing/movies.csv"];
        Assert.Equal(Outcomes.Accepted, fixedRun.Outcome);
        Assert.Equal(raw, fixedRun.DestinationKey);
        Assert.Contains("reprocessed", fixedRun.Message, StringComparison.Ordinal);
        Assert.Equal(TestLake.Sha256(TestFiles.Movies), TestLake.Sha256(await lake.GetBytesAsync(raw)));
        Assert.Equal(TestLake.Sha256(TestFiles.Movies), TestLake.Sha256(await lake.GetBytesAsync(quarantine)));
        Assert.Equal(1, await lake.CountVersionsAsync(quarantine + ".report.json"));
        using (var manifest = await lake.GetJsonAsync($"manifests/Movies/{date}/movies.csv.json"))
        {
            var reprocessed = manifest.RootElement.GetProperty("reprocessed");
            Assert.Equal("rejected", reprocessed.GetProperty("previousOutcome").GetString());
            Assert.Equal(quarantine, reprocessed.GetProperty("quarantineKey").GetString());
            Assert.Equal(quarantine + ".report.json", reprocessed.GetProperty("reportKey").GetString());
        }

        // Accepted files are never validated again.
        var last = (await BackfillAsync(lake, strict, reprocess: true)).Results["landing/movies.csv"];
        Assert.Equal(Outcomes.Duplicate, last.Outcome);
        Assert.Contains("already ingested as accepted", last.Message, StringComparison.Ordinal);
        Assert.Equal(1, await lake.CountVersionsAsync($"manifests/Movies/{date}/movies.csv.json"));
    }

    [Theory]
    [InlineData("s3://lake", "lake", "landing/")]
    [InlineData("s3://lake/", "lake", "landing/")]
    [InlineData("s3://lake/landing/vendor-a/", "lake", "landing/vendor-a/")]
    public void The_location_names_a_bucket_and_a_prefix_at_or_below_the_landing_prefix(string location, string bucket, string prefix) =>
        Assert.Equal((bucket, prefix), BackfillCommand.ParseLocation(location, "landing/"));

    [Theory]
    [InlineData("s3://lake/Raw/")]
    [InlineData("s3:///landing/")]
    public void A_location_outside_the_landing_prefix_is_refused(string location) =>
        Assert.Null(BackfillCommand.ParseLocation(location, "landing/"));

    [Theory]
    [InlineData]
    [InlineData("s3://lake", "--concurrency", "0")]
    [InlineData("s3://lake", "--bogus")]
    [InlineData("s3://lake/Raw/")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.Usage, await CommandLine.RunAsync(["backfill", .. args], new StringWriter(), stderr));
        Assert.Contains("usage: bootstrap backfill", stderr.ToString(), StringComparison.Ordinal);
    }
}
