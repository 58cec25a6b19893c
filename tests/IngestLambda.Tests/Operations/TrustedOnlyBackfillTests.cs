using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Host;
using IngestLambda.Host.Cli;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Reliability;
using IngestLambda.Tests.Trusted;
using static IngestLambda.Tests.Operations.OperationsLake;

namespace IngestLambda.Tests.Operations;

/// <summary>
/// Issue 26 item 3: <c>backfill --trusted-only</c> builds the trusted Parquet of files already in Raw, from their Raw
/// copies, without copying Raw again (docs/contracts.md "Trusted zone").
/// </summary>
public sealed class TrustedOnlyBackfillTests(MotoServer moto) : LakeTests(moto)
{
    private const string MoviesKey = "landing/movies.csv";
    private const string SeriesKey = "landing/team-a/series.csv.gz";

    /// <summary>A lake filed before the trusted zone: two accepted files (one gzip) and a rejected one, TRUSTED_FORMAT=none.</summary>
    private static async Task<(string Date, string MoviesRaw, string SeriesRaw)> FileWithoutTrustedAsync(TestLake lake)
    {
        await lake.PutAsync(MoviesKey, TestFiles.Movies);
        await lake.PutAsync(SeriesKey, Gzip(TestFiles.Series));
        await lake.PutAsync("landing/bad/movies-bad.csv", TestFiles.BadMovies);
        var (filed, stderr, failed) = await BackfillAsync(lake, lake.Config(c => c with { TrustedFormat = TrustedFormat.None }));
        Assert.False(failed, stderr);
        Assert.Equal(Outcomes.Rejected, filed["landing/bad/movies-bad.csv"].Outcome);
        Assert.Empty(await lake.AllKeysAsync("Trusted/"));
        var date = await DatePathAsync(lake, MoviesKey);
        return (date, filed[MoviesKey].DestinationKey!, filed[SeriesKey].DestinationKey!);
    }

    private static async Task<Dictionary<string, (string? VersionId, string ETag, DateTime? LastModified)>> VersionsAsync(TestLake lake, string prefix) =>
        (await lake.AllVersionsAsync(prefix)).ToDictionary(v => $"{v.Key}#{v.VersionId}", v => ((string?)v.VersionId, v.ETag, v.LastModified));

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // the read is pinned by If-Match on the copy's ETag, the claim released by If-Match
    public async Task Builds_the_Parquet_of_every_accepted_copy_from_Raw_without_touching_Raw_and_a_second_run_skips(bool versioned)
    {
        using var lake = await NewLakeAsync(versioned);
        var (date, moviesRaw, seriesRaw) = await FileWithoutTrustedAsync(lake);
        var moviesManifest = $"manifests/Movies/{date}/movies.csv.json";
        var seriesManifest = $"manifests/Series/{date}/team-a/series.csv.gz.json";
        var moviesTrusted = $"Trusted/Local/Parquet/Movies/{date}/movies.parquet";
        var seriesTrusted = $"Trusted/Local/Parquet/Series/{date}/team-a/series.parquet";
        var rawBefore = await VersionsAsync(lake, Raw);
        var quarantineBefore = await VersionsAsync(lake, "quarantine/");
        var manifestsBefore = new Dictionary<string, byte[]>
        {
            [moviesManifest] = await lake.GetBytesAsync(moviesManifest),
            [seriesManifest] = await lake.GetBytesAsync(seriesManifest),
        };

        // A dry run reads and validates, names what it would write, and writes nothing.
        var keysBefore = await lake.AllKeysAsync();
        var (planned, plannedErr, plannedFailed) = await BackfillAsync(lake, trustedOnly: true, dryRun: true);
        Assert.False(plannedFailed, plannedErr);
        Assert.Equal(Outcomes.Accepted, planned[moviesRaw].Outcome);
        Assert.Equal(moviesTrusted, planned[moviesRaw].DestinationKey);
        Assert.StartsWith("dry run: would write", planned[moviesRaw].Message, StringComparison.Ordinal);
        Assert.Equal(keysBefore, await lake.AllKeysAsync());
        Assert.Equal(manifestsBefore[moviesManifest], await lake.GetBytesAsync(moviesManifest));

        var (results, stderr, failed) = await BackfillAsync(lake, trustedOnly: true);
        Assert.False(failed, stderr);
        Assert.Equal([moviesRaw, seriesRaw], results.Keys.Order(StringComparer.Ordinal)); // only Raw is listed: the rejected file is not
        foreach (var (raw, trustedKey, manifestKey) in new[] { (moviesRaw, moviesTrusted, moviesManifest), (seriesRaw, seriesTrusted, seriesManifest) })
        {
            var result = results[raw];
            Assert.True(result.Outcome == Outcomes.Accepted, $"{raw}: {result.Outcome} ({result.Message})");
            Assert.Equal((trustedKey, manifestKey, 2000L), (result.DestinationKey, result.ReportKey, result.Rows));
            Assert.Contains("Raw not copied again", result.Message, StringComparison.Ordinal);
        }

        // The Parquet, read by DuckDB, holds exactly the CSV's rows; the manifests name it and are otherwise as they were.
        Assert.Equal([moviesTrusted, seriesTrusted], (await lake.AllKeysAsync("Trusted/")).Order(StringComparer.Ordinal));
        foreach (var (trustedKey, csv, manifestKey) in new[] { (moviesTrusted, TestFiles.Movies, moviesManifest), (seriesTrusted, TestFiles.Series, seriesManifest) })
        {
            using var parquet = await ParquetFile.DownloadAsync(lake, trustedKey);
            parquet.AssertEqualsCsv(csv);
            var manifest = JsonNode.Parse(await lake.GetBytesAsync(manifestKey))!.AsObject();
            var trusted = manifest["trusted"]!;
            Assert.Equal(trustedKey, (string?)trusted["key"]);
            Assert.Equal(2000L, (long)trusted["rows"]!);
            Assert.Equal(new FileInfo(parquet.Path).Length, (long)trusted["bytes"]!);
            Assert.Equal(1, (int)trusted["rowGroups"]!);
            Assert.Equal("trusted", manifest.ElementAt(manifest.IndexOf("validation") - 1).Key);
            manifest.Remove("trusted");
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(manifestsBefore[manifestKey]), manifest), $"{manifestKey} changed beyond its trusted section");
        }

        // Raw and quarantine untouched (same versions, ETags and times); no claim or open upload left; no Parquet for the rejected file.
        Assert.Equal(rawBefore, await VersionsAsync(lake, Raw));
        Assert.Equal(quarantineBefore, await VersionsAsync(lake, "quarantine/"));
        Assert.DoesNotContain(await lake.AllKeysAsync(), k => k.EndsWith(".claim", StringComparison.Ordinal));
        Assert.Empty((await lake.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = lake.Bucket })).MultipartUploads ?? []);

        var (again, againErr, againFailed) = await BackfillAsync(lake, trustedOnly: true);
        Assert.False(againFailed, againErr);
        Assert.All(again.Values, r => Assert.Equal(Outcomes.Skipped, r.Outcome));
        Assert.Contains("already in Trusted", again[moviesRaw].Message, StringComparison.Ordinal);
        Assert.Single(await lake.AllVersionsAsync(moviesTrusted));
        if (versioned)
            Assert.Equal(2, await lake.CountVersionsAsync(moviesManifest)); // the filing's, and the one that names the Parquet

        // A Parquet deleted is built again, from the same Raw copy.
        await lake.S3.DeleteObjectAsync(lake.Bucket, moviesTrusted);
        var (rebuilt, rebuiltErr, _) = await BackfillAsync(lake, trustedOnly: true);
        Assert.True(rebuilt[moviesRaw].Outcome == Outcomes.Accepted, rebuiltErr + rebuilt[moviesRaw].Message);
        Assert.Equal(Outcomes.Skipped, rebuilt[seriesRaw].Outcome);
        using (var parquet = await ParquetFile.DownloadAsync(lake, moviesTrusted))
            parquet.AssertEqualsCsv(TestFiles.Movies);
        Assert.Equal(rawBefore, await VersionsAsync(lake, Raw));
    }

    [Fact]
    public async Task What_cannot_be_built_is_a_skipped_result_with_its_reason()
    {
        using var lake = await NewLakeAsync();
        var (date, moviesRaw, seriesRaw) = await FileWithoutTrustedAsync(lake);
        await lake.S3.DeleteObjectAsync(lake.Bucket, $"manifests/Series/{date}/team-a/series.csv.gz.json");
        await lake.PutAsync($"{Raw}readme.txt", "not a copy\n"u8.ToArray());

        var (none, noneErr, noneFailed) = await BackfillAsync(lake, lake.Config(c => c with { TrustedFormat = TrustedFormat.None }), trustedOnly: true);
        Assert.False(noneFailed, noneErr);
        Assert.Contains("TRUSTED_FORMAT=none", none[moviesRaw].Message, StringComparison.Ordinal);

        // Today's contracts are stricter than the filing's (lines of the sample are longer than 64 bytes).
        var strict = lake.Config(c => c with { Validation = c.Validation with { MaxLineBytes = 64 } });
        var (results, stderr, failed) = await BackfillAsync(lake, strict, trustedOnly: true);
        Assert.False(failed, stderr);
        Assert.All(results.Values, r => Assert.Equal(Outcomes.Skipped, r.Outcome));
        Assert.Contains("no longer passes today's contracts", results[moviesRaw].Message, StringComparison.Ordinal);
        Assert.Contains("line-too-long", results[moviesRaw].Message, StringComparison.Ordinal);
        Assert.Contains("no manifest", results[seriesRaw].Message, StringComparison.Ordinal);
        Assert.Contains("not a copy of a landed file", results[$"{Raw}readme.txt"].Message, StringComparison.Ordinal);
        Assert.Empty(await lake.AllKeysAsync("Trusted/"));
        Assert.Empty((await lake.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = lake.Bucket })).MultipartUploads ?? []);
    }

    [Fact]
    public async Task A_newer_upload_filed_while_it_reads_wins_and_the_late_run_writes_nothing()
    {
        using var lake = await NewLakeAsync();
        var (date, moviesRaw, _) = await FileWithoutTrustedAsync(lake);
        var manifestKey = $"manifests/Movies/{date}/movies.csv.json";
        var trustedKey = $"Trusted/Local/Parquet/Movies/{date}/movies.parquet";

        // The trusted-only run is held just before it takes the claim, after reading the Raw copy.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = Fault.Hold(S3Operation.PutObject, release.Task, when: r => r.RequestUri!.AbsolutePath.EndsWith(".claim", StringComparison.Ordinal));
        using var function = lake.Function(new FaultInjector().Add(hold));
        var late = function.BuildTrustedAsync(lake.Bucket, moviesRaw, new LocalLambdaContext(TimeSpan.FromMinutes(15)), dryRun: false, CancellationToken.None);
        await TestLake.WaitForAsync(() => hold.Hits > 0 || late.IsCompleted);
        Assert.False(late.IsCompleted, late.IsCompleted ? (await late).Message : "");

        // Meanwhile a newer upload of the landing key is filed by its event, Trusted included.
        var text = Encoding.UTF8.GetString(TestFiles.Movies);
        var newer = Encoding.UTF8.GetBytes(string.Join('\n', text.Split('\n').Take(11)) + "\n"); // the header and 10 rows
        var landed = await lake.PutAsync(MoviesKey, newer);
        var head = await lake.HeadAsync(MoviesKey);
        var filed = await lake.InvokeOneAsync(EventJson.S3Event(lake.Bucket, MoviesKey, landed.ETag, landed.VersionId, newer.Length,
            eventTime: EventTimeOf(head.LastModified!.Value)));
        Assert.Equal(Outcomes.Accepted, filed.Outcome);

        release.SetResult();
        var result = await late;
        Assert.True(result.Outcome == Outcomes.Superseded, $"{result.Outcome}: {result.Message}");
        using (var parquet = await ParquetFile.DownloadAsync(lake, trustedKey))
            parquet.AssertEqualsCsv(newer);
        Assert.Single(await lake.AllVersionsAsync(trustedKey));
        using var manifest = await lake.GetJsonAsync(manifestKey);
        Assert.Equal(10, manifest.RootElement.GetProperty("trusted").GetProperty("rows").GetInt64());
        Assert.Empty((await lake.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = lake.Bucket })).MultipartUploads ?? []);
    }

    [Theory]
    [InlineData("s3://lake", "Raw/Local/CSV/")]
    [InlineData("s3://lake/Raw/Local/CSV/Movies/2026/", "Raw/Local/CSV/Movies/2026/")]
    public void With_trusted_only_the_location_is_a_prefix_at_or_below_Raw(string location, string prefix) =>
        Assert.Equal(("lake", prefix), BackfillCommand.ParseLocation(location, "Raw/Local/CSV/"));

    [Theory]
    [InlineData("run them one after the other", "s3://lake", "--trusted-only", "--reprocess-rejected")]
    [InlineData("at or below RAW_PREFIX 'Raw/Local/CSV/' (--trusted-only reads the copies in Raw)", "s3://lake/landing/", "--trusted-only")]
    public async Task Usage_errors_exit_2(string says, params string[] args)
    {
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.Usage, await CommandLine.RunAsync(["backfill", .. args], new StringWriter(), stderr));
        Assert.Contains("usage: bootstrap backfill", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains(says, stderr.ToString(), StringComparison.Ordinal);
    }
}
