using System.Globalization;
using IngestLambda.Core.Reports;
using IngestLambda.Lake;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// Issue #11 item 5: a claim lives for the estimated time of its copy plus a grace, not for the claimant's whole
/// remaining time, and a run waiting for a claim backs off (200 ms doubling to 2 s) instead of polling every 200 ms.
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Integration")] // the base class\'s trait does not reach a class with traits of its own
public sealed class ClaimLeaseTests(MotoServer moto) : LakeTests(moto)
{
    private const string ClaimKey = $"manifests/Movies/{TestLake.DatePath}/movies.csv.json.claim";

    [Fact]
    public async Task A_claim_lasts_the_estimated_copy_time_plus_the_grace_not_the_invocations_remaining_time()
    {
        using var lake = await NewLakeAsync();
        var (landed, eventJson) = await lake.LandVersionAsync(Key, TestFiles.Movies);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = Fault.Hold(S3Operation.CopyObject, release.Task);
        var config = lake.Config();
        using var function = lake.Function(new FaultInjector().Add(hold), config);

        // A 15-minute invocation holding the claim while it copies.
        var run = function.TryInvokeAsync(eventJson, TimeSpan.FromMinutes(15));
        await TestLake.WaitForAsync(() => hold.Hits > 0 || run.IsCompleted);
        var claim = await lake.HeadAsync(ClaimKey);
        var lease = DateTimeOffset.Parse(claim.Metadata["ingest-claim-until"], CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow;
        release.SetResult();
        var (result, failure) = await run;

        Assert.Null(failure);
        Assert.Equal(Outcomes.Accepted, Assert.Single(result.Records).Outcome);
        // 327 kB at COPY_BYTES_PER_SECOND (50 MiB/s) is under 0.01 s: the lease is the 30 s grace, give or take.
        var expected = config.ClaimGrace + TimeSpan.FromSeconds((double)TestFiles.Movies.Length / config.CopyBytesPerSecond);
        Assert.True(lease <= expected && lease > expected - TimeSpan.FromSeconds(20), $"lease {lease.TotalSeconds:F1} s, expected about {expected.TotalSeconds:F1} s");
        Assert.Empty(await lake.AllVersionsAsync(ClaimKey));
    }

    [Fact]
    public async Task A_run_waiting_for_a_claim_backs_off_instead_of_polling_every_200_ms()
    {
        using var lake = await NewLakeAsync();
        var (landed, eventJson) = await lake.LandVersionAsync(Key, TestFiles.Movies);
        // A live claim held by another run for the whole test.
        await lake.PutClaimAsync(ClaimKey, DateTimeOffset.UtcNow.AddHours(1), "slow-run");
        var watched = new FaultInjector();
        using var function = lake.Function(watched, lake.Config(c => c with { ClaimWait = TimeSpan.FromSeconds(8) }));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (result, failure) = await function.TryInvokeAsync(eventJson);
        clock.Stop();

        Assert.IsType<ClaimHeldException>(Assert.Single(failure!.InnerExceptions));
        Assert.Equal(Outcomes.Failed, Assert.Single(result.Records).Outcome);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(8), $"gave up after {clock.Elapsed}");
        // Pauses of 0.2, 0.4, 0.8, 1.6, 2, 2, 1 s (each ±20 %) make about 8 attempts in 8 s; every 200 ms would be 40
        // (fewer when each attempt's requests are slow, but still more than 10 on this shared machine).
        var attempts = watched.Requests.Count(r => r.Operation == S3Operation.PutObject && r.Path.EndsWith(".claim", StringComparison.Ordinal));
        Assert.InRange(attempts, 3, 10);
        await FigureLog.WriteAsync($"claims: a run waiting 8 s for a live claim made {attempts} attempts ({watched.Requests.Count} requests in all)");
    }
}
