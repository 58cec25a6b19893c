using System.Net;
using Amazon.SQS;
using IngestLambda.Host.Cli;
using IngestLambda.Host.Operations;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Ingestion;
using IngestLambda.Tests.Reliability;

namespace IngestLambda.Tests.Cli;

/// <summary>
/// One exit-code rule for every command (README, "Exit codes"; Cli/ExitCodes.cs): 0 when everything was done;
/// 1 when the command ran, but some items failed (a rejected file, a record, object or message that failed);
/// 2 when it could not run: a usage, configuration or access error (a missing file, bucket or queue), and nothing
/// was done. Each command is run as a user runs it, a child process against moto_server. Usage errors (exit 2
/// before anything runs) are tested per command: ValidateCommandTests, InvokeCommandTests, BackfillTests,
/// ReplayCommandTests, and for answers BadInputTests.
/// </summary>
public sealed class ExitCodeRuleTests(MotoServer moto) : LakeTests(moto), IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("exit-codes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string> Env => CommandProcess.Endpoint(Moto.Endpoint);

    private string MissingBucket { get; } = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8];

    private string Write(string name, byte[] body)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, body);
        return path;
    }

    private static void Expect(CommandProcess.Result run, int exitCode, string? says = null, string? never = null)
    {
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode}\n{run}");
        if (says is not null)
            Assert.True((run.Stdout + run.Stderr).Contains(says, StringComparison.Ordinal), $"the output lacks '{says}'\n{run}");
        if (never is not null)
            Assert.False((run.Stdout + run.Stderr).Contains(never, StringComparison.Ordinal), $"output says '{never}'\n{run}");
    }

    [Fact]
    public async Task Validate_0_accepted_1_rejected_2_usage_or_unreadable_file()
    {
        Expect(await CommandProcess.BootstrapAsync(["validate", RepoPaths.Samples("movies.csv")], Env), 0);
        Expect(await CommandProcess.BootstrapAsync(["validate", Write("bad.csv", TestFiles.BadMovies)], Env), 1);
        Expect(await CommandProcess.BootstrapAsync(["validate", Path.Combine(_dir, "absent.csv")], Env), 2, "cannot read");
    }

    [Fact]
    public async Task Invoke_0_handled_1_a_record_failed_2_a_configuration_error()
    {
        using var lake = await NewLakeAsync();
        var landed = Write("event.json", System.Text.Encoding.UTF8.GetBytes(await lake.LandAsync("landing/movies.csv", TestFiles.Movies)));
        var absent = Write("absent.json", System.Text.Encoding.UTF8.GetBytes(EventJson.S3Event(MissingBucket, "landing/x.csv", "abc", null, 3)));

        Expect(await CommandProcess.BootstrapAsync(["invoke", "--event", landed], Env), 0);
        // The handler ran, and its one record failed (as Lambda would retry it): an item failed.
        Expect(await CommandProcess.BootstrapAsync(["invoke", "--event", absent], Env), 1, "the handler failed");
        Expect(await CommandProcess.BootstrapAsync(["invoke", "--event", landed], new Dictionary<string, string>(Env) { ["MAX_LINE_BYTES"] = "big" }), 2,
            "invoke: configuration error: MAX_LINE_BYTES");
    }

    [Fact]
    public async Task Backfill_0_all_filed_2_a_bucket_that_cannot_be_listed_without_claiming_anything_was_processed()
    {
        using var lake = await NewLakeAsync();
        await lake.PutAsync("landing/movies.csv", TestFiles.Movies);
        await lake.PutAsync("landing/bad.csv", TestFiles.BadMovies);

        // A rejected file is an outcome, not a failure.
        Expect(await CommandProcess.BootstrapAsync(["backfill", $"s3://{lake.Bucket}/"], Env), 0, "finished: 2 done");
        var missing = await CommandProcess.BootstrapAsync(["backfill", $"s3://{MissingBucket}/"], Env);
        Expect(missing, 2, "404 NoSuchBucket", never: "were still processed");
        Assert.Contains("nothing was processed", missing.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("finished:", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_1_an_object_failed_2_listing_denied()
    {
        using var lake = await NewLakeAsync();
        await lake.PutAsync("landing/movies.csv", TestFiles.Movies);

        var failing = new FaultInjector().Add(Fault.S3Error(S3Operation.GetObject, HttpStatusCode.ServiceUnavailable, "SlowDown", times: int.MaxValue));
        var (failed, failedErr) = await BackfillAsync(lake, failing);
        Assert.True(failed == ExitCodes.Failure, failedErr);
        Assert.Contains("failed 1", failedErr, StringComparison.Ordinal);

        // S3 classifies ListObjectsV2 as Other: the first request backfill makes.
        var denied = new FaultInjector().Add(Fault.S3Error(S3Operation.Other, HttpStatusCode.Forbidden, "AccessDenied", times: int.MaxValue));
        var (refused, refusedErr) = await BackfillAsync(lake, denied);
        Assert.True(refused == ExitCodes.Usage, refusedErr);
        Assert.Contains("403 AccessDenied", refusedErr, StringComparison.Ordinal);
        Assert.Contains("nothing was processed", refusedErr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stderr)> BackfillAsync(TestLake lake, FaultInjector injector)
    {
        using var function = lake.Function(injector);
        var stderr = new StringWriter();
        var output = new OperationOutput("backfill", new StringWriter(), stderr, showProgress: false, TimeProvider.System);
        var request = new BackfillRequest(lake.Bucket, "landing/", Concurrency: 1, DryRun: false, ReprocessRejected: false);
        var exit = await OperatorRun.RunWorkAsync(output, "nothing to do",
            (o, cancel) => new Backfill(function, function.S3, o).RunAsync(request, cancel), CancellationToken.None);
        return (exit, stderr.ToString());
    }

    [Fact]
    public async Task Replay_0_an_empty_queue_said_plainly_1_a_message_left_2_a_missing_queue()
    {
        using var sqs = new AmazonSQSClient(MotoServer.Credentials, new AmazonSQSConfig { ServiceURL = Moto.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        var queue = (await sqs.CreateQueueAsync("exit-codes-" + Guid.NewGuid().ToString("N")[..8])).QueueUrl;

        Expect(await CommandProcess.BootstrapAsync(["replay", "--queue-url", queue], Env), 0, "finished: the queue had no messages", never: "nothing yet");
        await sqs.SendMessageAsync(queue, "{\"hello\":1}");
        Expect(await CommandProcess.BootstrapAsync(["replay", "--queue-url", queue], Env), 1, "left in the queue");
        Expect(await CommandProcess.BootstrapAsync(["replay", "--queue-url", queue[..queue.LastIndexOf('/')] + "/no-such-queue"], Env), 2,
            "nothing was replayed", never: "finished:");
    }

    [Fact]
    public async Task Answers_0_answered_1_no_data_2_usage_or_a_missing_bucket()
    {
        Write("lake/Raw/Local/CSV/Movies/2026/11/26/movies.csv", TestFiles.Movies);
        Write("lake/Raw/Local/CSV/Series/2026/11/26/series.csv", File.ReadAllBytes(RepoPaths.Samples("series.csv")));
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));

        Expect(await CommandProcess.AnswersAsync(["answers", "--lake", Path.Combine(_dir, "lake")], Env), 0);
        Expect(await CommandProcess.AnswersAsync(["answers", "--lake", Path.Combine(_dir, "empty")], Env), 1, "no raw data");
        Expect(await CommandProcess.AnswersAsync(["answers", "--lake"], Env), 2, "--lake needs a value");
        Expect(await CommandProcess.AnswersAsync(["answers", "--lake", $"s3://{MissingBucket}"], Env), 2, "does not exist");
    }

    [Fact]
    public async Task Help_states_the_rule_and_where_answers_lives()
    {
        var help = await CommandProcess.BootstrapAsync(["--help"], Env);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("0 done; 1 ran, but some items failed", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 a usage, configuration or access error", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("make answers LAKE=", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/IngestLambda.Analytics -- answers", help.Stdout, StringComparison.Ordinal);
    }
}
