using System.Text.RegularExpressions;
using IngestLambda.Configuration;
using IngestLambda.Lake;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// Issue #11 item 4: the invocation's deadline. Every S3 call stops DEADLINE_MARGIN_MS before it; a multipart copy in
/// progress is aborted, the claim released, one `failed` line logged and the error posted, all before the deadline.
/// (The large object is in <see cref="LargeDeadlineTests"/>.)
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Integration")] // the base class\'s trait does not reach a class with traits of its own
public sealed class DeadlineTests(MotoServer moto) : LakeTests(moto)
{
    [Fact]
    public async Task A_multipart_copy_cut_off_by_the_deadline_is_aborted_its_claim_released_and_the_error_posted_in_time()
    {
        using var lake = await NewLakeAsync();
        var eventJson = await lake.LandAsync("landing/big/movies.csv", TestFiles.LargeMovies);
        // S3 never answers a part copy: only the deadline can end this run.
        var never = new TaskCompletionSource();
        var injector = new FaultInjector().Add(Fault.Hold(S3Operation.UploadPartCopy, never.Task, times: int.MaxValue));
        var config = lake.Config(c => c with
        {
            MultipartCopyThresholdBytes = 5 * IngestConfig.MiB,
            MultipartCopyPartBytes = 5 * IngestConfig.MiB,
            DeadlineMargin = TimeSpan.FromSeconds(2),
        });
        using var function = lake.Function(injector, config);
        var timeLeft = TimeSpan.FromSeconds(8);

        var (answer, after) = await DeadlineLoop.InvokeAsync(function, eventJson, timeLeft, TimeSpan.FromSeconds(60));

        Assert.EndsWith("/error", answer.Path, StringComparison.Ordinal);
        Assert.True(after < timeLeft, $"the error was posted {after.TotalSeconds:F2} s after the invocation began; the deadline was {timeLeft.TotalSeconds} s");
        Assert.Contains(nameof(DeadlineException), answer.Body, StringComparison.Ordinal);
        Assert.True(injector.Count(S3Operation.UploadPartCopy) > 0, "the copy had started");
        Assert.True(injector.Count(S3Operation.AbortMultipartUpload) > 0, "the upload was aborted");
        Assert.Single(Regex.Matches(lake.Log.ToString(), "\"outcome\":\"failed\""));
        // Nothing left: no upload, no claim (no version of it), no copy, no report.
        Assert.Empty(await lake.AllVersionsAsync("manifests/"));
        await lake.AssertNothingWrittenAsync();
        await FigureLog.WriteAsync($"deadline: multipart copy stopped at the margin, error posted {after.TotalSeconds:F2} s into an {timeLeft.TotalSeconds:F0} s invocation (DEADLINE_MARGIN_MS 2000)");
    }
}
