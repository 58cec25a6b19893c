using IngestLambda.Core.Reports;
using IngestLambda.Lake;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Template;
using Microsoft.Extensions.Time.Testing;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// The same event delivered several times at once (S3 and SQS deliver at least once; a Lambda retry can overlap a
/// slow first attempt), and events that arrive after their object changed. The sequential cases (a redelivery after
/// the first run finished, a retry after a crash between copy and report, superseded, missing) are in
/// Ingestion/RepeatedEventTests.
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Integration")] // the base class\'s trait does not reach a class with traits of its own
public sealed class DuplicateTests(MotoServer moto) : LakeTests(moto)
{
    [Theory]
    [InlineData("valid", true, true)]
    [InlineData("valid", false, true)]
    [InlineData("invalid", true, true)]
    [InlineData("valid", false, false)]
    public async Task The_same_event_five_times_at_once_writes_one_copy_and_one_report(string file, bool withVersionId, bool versionedBucket)
    {
        using var lake = await NewLakeAsync(versionedBucket);
        var body = file == "valid" ? TestFiles.Movies : TestFiles.BadMovies;
        var (landed, eventJson) = await lake.LandVersionAsync(Key, body, withVersionId);
        var functions = Enumerable.Range(0, 5).Select(_ => lake.Function(new FaultInjector())).ToList();

        // Five invocations (five Lambda instances) started together on the same event.
        using var start = new ManualResetEventSlim();
        var runs = functions.Select(f => Task.Run(async () => { start.Wait(); return await f.TryInvokeAsync(eventJson); })).ToList();
        start.Set();
        var results = await Task.WhenAll(runs);
        foreach (var f in functions)
            f.Dispose();

        var outcomes = results.Select(r => Assert.Single(r.Result.Records).Outcome).Order().ToList();
        var expected = file == "valid" ? Outcomes.Accepted : Outcomes.Rejected;
        Assert.True(results.All(r => r.Failure is null), string.Join("\n", results.Select(r => r.Failure?.Message)));
        Assert.Equal([expected, Outcomes.Duplicate, Outcomes.Duplicate, Outcomes.Duplicate, Outcomes.Duplicate], outcomes.OrderBy(o => o == expected ? 0 : 1));
        var winner = results.Select(r => r.Result.Records[0]).Single(r => r.Outcome == expected);
        Assert.Equal(1, await lake.CountVersionsAsync(winner.DestinationKey!));
        Assert.Equal(1, await lake.CountVersionsAsync(winner.ReportKey!));
        Assert.Empty(await lake.AllVersionsAsync(winner.ReportKey! + RecordClaims.Suffix)); // released, every version
        Assert.Equal(TestLake.Sha256(body), TestLake.Sha256(await lake.GetBytesAsync(winner.DestinationKey!)));
        // An accepted file also has its one trusted Parquet; a rejected one none.
        string[] written = file == "valid" ? [winner.DestinationKey!, $"Trusted/Local/Parquet/Movies/{TestLake.DatePath}/movies.parquet", Key, winner.ReportKey!] : [winner.DestinationKey!, Key, winner.ReportKey!];
        Assert.Equal(written.Order(StringComparer.Ordinal), (await lake.AllKeysAsync()).Order(StringComparer.Ordinal));
        await lake.AssertLandingUntouchedAsync(Key, landed);
    }

    [Fact]
    public async Task A_claim_left_by_a_crashed_run_blocks_only_until_it_expires()
    {
        using var lake = await NewLakeAsync();
        var (landed, eventJson) = await lake.LandVersionAsync(Key, TestFiles.Movies);
        var claimKey = $"manifests/Movies/{TestLake.DatePath}/movies.csv.json.claim";
        // A run that claimed the destination and died before copying: its claim lives one more hour.
        await lake.PutClaimAsync(claimKey, DateTimeOffset.UtcNow.AddHours(1), "crashed-run");
        var config = lake.Config(c => c with { ClaimWait = TimeSpan.FromMilliseconds(500) });
        using var function = lake.Function(new FaultInjector(), config);

        var (early, failure) = await function.TryInvokeAsync(eventJson);

        Assert.IsType<ClaimHeldException>(Assert.Single(failure!.InnerExceptions));
        Assert.Equal(Outcomes.Failed, Assert.Single(early.Records).Outcome);
        Assert.Empty(await lake.AllKeysAsync("Raw/"));
        Assert.Equal([claimKey], await lake.AllKeysAsync("manifests/"));

        // The retry comes once the claim has expired: a clock an hour and a second later (no sleep).
        using var retry = lake.Function(new FaultInjector(), config, new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(1).AddSeconds(1)));
        var (late, lateFailure) = await retry.TryInvokeAsync(eventJson);

        Assert.Null(lateFailure);
        var record = Assert.Single(late.Records);
        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal(1, await lake.CountVersionsAsync(record.DestinationKey!));
        // The expired claim and this run's own claim are both gone, every version of them.
        Assert.Equal([record.ReportKey!], (await lake.AllVersionsAsync("manifests/")).Select(v => v.Key));
    }

    [Fact]
    public async Task A_run_waiting_on_a_claim_reports_duplicate_once_the_holder_finishes()
    {
        using var lake = await NewLakeAsync();
        var (landed, eventJson) = await lake.LandVersionAsync(Key, TestFiles.Movies);
        // The first run's copy is slow, so the second arrives while the first holds the claim.
        var slow = new FaultInjector().Add(Fault.Slow(S3Operation.CopyObject, TimeSpan.FromSeconds(2)));
        using var first = lake.Function(slow);
        var watched = new FaultInjector();
        using var second = lake.Function(watched);

        var firstRun = first.TryInvokeAsync(eventJson);
        await TestLake.WaitForAsync(() => slow.Count(S3Operation.CopyObject) > 0);
        var (secondResult, secondFailure) = await second.TryInvokeAsync(eventJson);
        var (firstResult, firstFailure) = await firstRun;

        Assert.Null(firstFailure);
        Assert.Null(secondFailure);
        Assert.Equal(Outcomes.Accepted, Assert.Single(firstResult.Records).Outcome);
        var duplicate = Assert.Single(secondResult.Records);
        Assert.Equal(Outcomes.Duplicate, duplicate.Outcome);
        Assert.Equal(0, watched.Count(S3Operation.CopyObject));
        Assert.Equal(1, watched.Count(S3Operation.GetObject)); // it read and validated while the first was copying
        Assert.Equal(1, await lake.CountVersionsAsync(duplicate.DestinationKey!));
    }

    [Fact]
    public async Task Without_permission_to_delete_claims_they_are_released_in_place_and_nothing_waits()
    {
        using var lake = await NewLakeAsync();
        var denied = new FaultInjector().Add(Fault.S3Error(S3Operation.DeleteObject, System.Net.HttpStatusCode.Forbidden, "AccessDenied", times: int.MaxValue));
        var config = lake.Config(c => c with { ClaimWait = TimeSpan.FromSeconds(2) });
        using var function = lake.Function(denied, config);
        var shorter = TestFiles.Movies[..(Array.LastIndexOf(TestFiles.Movies[..^1], (byte)'\n') + 1)];
        var first = await lake.PutAsync(Key, TestFiles.Movies);

        var (one, oneFailure) = await function.TryInvokeAsync(lake.EventFor(Key, first, TestFiles.Movies.Length));
        // A new upload of the same name right away: the released claim must not make it wait.
        var second = await lake.PutAsync(Key, shorter);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (two, twoFailure) = await function.TryInvokeAsync(lake.EventFor(Key, second, shorter.Length));
        clock.Stop();
        // And the five-way race on another file.
        var racer = await lake.PutAsync("landing/race/movies2.csv", TestFiles.Movies);
        var functions = Enumerable.Range(0, 5).Select(_ => lake.Function(denied, config)).ToList();
        var race = await Task.WhenAll(functions.Select(f => f.TryInvokeAsync(lake.EventFor("landing/race/movies2.csv", racer, TestFiles.Movies.Length))));
        functions.ForEach(f => f.Dispose());

        Assert.Null(oneFailure);
        Assert.Null(twoFailure);
        Assert.Equal(Outcomes.Accepted, Assert.Single(one.Records).Outcome);
        Assert.Equal(Outcomes.Accepted, Assert.Single(two.Records).Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the second upload waited {clock.Elapsed}");
        Assert.True(denied.Count(S3Operation.DeleteObject) > 0, "deletes were attempted and refused");
        var raw = one.Records[0].DestinationKey!;
        Assert.Equal(2, await lake.CountVersionsAsync(raw));
        Assert.Equal(TestLake.Sha256(shorter), TestLake.Sha256(await lake.GetBytesAsync(raw)));
        Assert.All(race, r => Assert.Null(r.Failure));
        Assert.Equal([Outcomes.Accepted, Outcomes.Duplicate, Outcomes.Duplicate, Outcomes.Duplicate, Outcomes.Duplicate],
            race.Select(r => Assert.Single(r.Result.Records).Outcome).OrderBy(o => o == Outcomes.Accepted ? 0 : 1));
        Assert.Equal(1, await lake.CountVersionsAsync(race.Select(r => r.Result.Records[0]).First().DestinationKey!));
        // The claims stay, released: one per destination.
        Assert.Equal(2, (await lake.AllKeysAsync()).Count(k => k.EndsWith(RecordClaims.Suffix, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Events_for_two_uploads_of_one_name_delivered_newest_first_keep_the_newest(bool withVersionId)
    {
        using var lake = await NewLakeAsync();
        var (older, olderEvent) = await lake.LandVersionAsync(Key, TestFiles.Movies, withVersionId);
        var shorter = TestFiles.Movies[..(Array.LastIndexOf(TestFiles.Movies[..^1], (byte)'\n') + 1)];
        var (newer, newerEvent) = await lake.LandVersionAsync(Key, shorter, withVersionId);
        using var function = lake.Function(new FaultInjector());

        var (first, _) = await function.TryInvokeAsync(newerEvent);
        var (second, _) = await function.TryInvokeAsync(olderEvent);

        Assert.Equal(Outcomes.Accepted, Assert.Single(first.Records).Outcome);
        Assert.Equal(Outcomes.Superseded, Assert.Single(second.Records).Outcome);
        var raw = first.Records[0].DestinationKey!;
        Assert.Equal(1, await lake.CountVersionsAsync(raw));
        Assert.Equal(TestLake.Sha256(shorter), TestLake.Sha256(await lake.GetBytesAsync(raw)));
        using var manifest = await lake.GetJsonAsync(first.Records[0].ReportKey!);
        Assert.Equal(newer.ETag.Trim('"'), manifest.RootElement.GetProperty("source").GetProperty("eTag").GetString());
        Assert.Equal(1999, manifest.RootElement.GetProperty("validation").GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Redelivered_events_for_an_object_deleted_in_between_are_missing_and_write_nothing()
    {
        using var lake = await NewLakeAsync();
        var (landed, byVersion) = await lake.LandVersionAsync(Key, TestFiles.Movies);
        var byETag = lake.EventFor(Key, landed, TestFiles.Movies.Length, withVersionId: false);
        await lake.S3.DeleteObjectAsync(lake.Bucket, Key);
        var functions = Enumerable.Range(0, 4).Select(_ => lake.Function(new FaultInjector())).ToList();

        var results = await Task.WhenAll(functions.Select((f, i) => f.TryInvokeAsync(i % 2 == 0 ? byVersion : byETag)));
        functions.ForEach(f => f.Dispose());

        Assert.All(results, r => Assert.Equal(Outcomes.Missing, Assert.Single(r.Result.Records).Outcome));
        await lake.AssertNothingWrittenAsync();
    }
}

/// <summary>The same race between five separate processes of the published binary (`bootstrap invoke`), as five Lambda instances would run it.</summary>
[Collection(NativePublishGroup.Name)] // runs the published bootstrap, which this collection keeps fresh
[Trait("Category", "Reliability")]
[Trait("Category", "Integration")]
public sealed class DuplicateProcessTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public async Task Five_bootstrap_invoke_processes_on_the_same_event_write_one_copy_and_one_manifest()
    {
        var bootstrap = BootstrapProcess.Path;
        using var lake = await TestLake.CreateAsync(moto);
        var eventFile = Path.Combine(Path.GetTempPath(), $"ingest-race-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(eventFile, await lake.LandAsync("landing/movies.csv", TestFiles.Movies));
        try
        {
            var runs = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => InvokeAsync(bootstrap, eventFile)));

            Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Stderr));
            var outcomes = runs.Select(r => Assert.Single(System.Text.Json.JsonSerializer.Deserialize(r.Stdout, IngestResultJsonContext.Default.IngestResult)!.Records).Outcome).ToList();
            Assert.Equal(1, outcomes.Count(o => o == Outcomes.Accepted));
            Assert.Equal(4, outcomes.Count(o => o == Outcomes.Duplicate));
            var raw = $"Raw/Local/CSV/Movies/{TestLake.DatePath}/movies.csv";
            Assert.Equal(1, await lake.CountVersionsAsync(raw));
            Assert.Equal(1, await lake.CountVersionsAsync($"manifests/Movies/{TestLake.DatePath}/movies.csv.json"));
            Assert.Equal(1, await lake.CountVersionsAsync($"Trusted/Local/Parquet/Movies/{TestLake.DatePath}/movies.parquet"));
            Assert.Equal(4, (await lake.AllVersionsAsync()).Count); // landing, copy, trusted Parquet, manifest: no claim left
        }
        finally
        {
            File.Delete(eventFile);
        }
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> InvokeAsync(string bootstrap, string eventFile)
    {
        var start = new System.Diagnostics.ProcessStartInfo(bootstrap)
        {
            ArgumentList = { "invoke", "--event", eventFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["AWS_ENDPOINT_URL"] = moto.Endpoint.ToString();
        start.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        start.Environment["AWS_REGION"] = "us-east-1";
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
