using System.Text.Json.Nodes;
using Amazon.SQS;
using IngestLambda.Core.Reports;
using IngestLambda.Host.Operations;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;
using static IngestLambda.Tests.Operations.OperationsLake;

namespace IngestLambda.Tests.Operations;

/// <summary>Issue #13: <c>bootstrap replay</c> on a failure queue (moto_server's SQS) holding each accepted shape.</summary>
public sealed class ReplayTests(MotoServer moto) : LakeTests(moto)
{
    /// <summary>
    /// Lambda's async-invocation OnFailure destination record, as AWS documents it ("Configuring destinations for
    /// asynchronous invocation"): the original event in requestPayload, why it failed in requestContext and responsePayload.
    /// </summary>
    internal static string FailureRecord(string eventJson) => new JsonObject
    {
        ["version"] = "1.0",
        ["timestamp"] = "2026-11-26T10:16:05.568Z",
        ["requestContext"] = new JsonObject
        {
            ["requestId"] = "e4b46cbf-b738-xmpl-8880-a18cdf61200e",
            ["functionArn"] = "arn:aws:lambda:us-east-1:123456789012:function:IngestFunction:$LATEST",
            ["condition"] = "RetriesExhausted",
            ["approximateInvokeCount"] = 3,
        },
        ["requestPayload"] = JsonNode.Parse(eventJson),
        ["responseContext"] = new JsonObject { ["statusCode"] = 200, ["executedVersion"] = "$LATEST", ["functionError"] = "Unhandled" },
        ["responsePayload"] = new JsonObject
        {
            ["errorMessage"] = "1 of 1 record(s) failed and must be retried: s3://lake/landing/movies.csv: AmazonS3Exception: Service Unavailable",
            ["errorType"] = "IngestFailedException",
        },
    }.ToJsonString();

    private AmazonSQSClient Sqs() => new(MotoServer.Credentials, new AmazonSQSConfig { ServiceURL = Moto.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });

    private static async Task<(List<RecordResult> Results, bool AnyFailed, string Stderr)> ReplayAsync(TestLake lake, AmazonSQSClient sqs, string queueUrl, bool dryRun = false, int? max = null)
    {
        using var function = lake.Function();
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var output = new OperationOutput("replay", stdout, stderr, showProgress: false, TimeProvider.System);
        await new Replay(function, sqs, output).RunAsync(new ReplayRequest(queueUrl, max, dryRun), CancellationToken.None);
        output.Summary();
        return (ParseLines(stdout.ToString()), output.AnyFailed, stderr.ToString());
    }

    private static async Task<int> CountMessagesAsync(AmazonSQSClient sqs, string queueUrl)
    {
        var attributes = await sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    private static async Task<string> EventForAsync(TestLake lake, string key, byte[] body)
    {
        var put = await lake.PutAsync(key, body);
        return EventJson.S3Event(lake.Bucket, key, put.ETag, put.VersionId, body.Length);
    }

    [Fact]
    public async Task Replay_runs_each_shape_deletes_what_finished_and_leaves_what_did_not()
    {
        using var lake = await NewLakeAsync();
        using var sqs = Sqs();
        var queueUrl = (await sqs.CreateQueueAsync($"failures-{Guid.NewGuid():N}")).QueueUrl;

        var moviesEvent = await EventForAsync(lake, "landing/movies.csv", TestFiles.Movies);
        await sqs.SendMessageAsync(queueUrl, FailureRecord(moviesEvent));
        await sqs.SendMessageAsync(queueUrl, EventJson.SqsEvent(await EventForAsync(lake, "landing/bad/movies-bad.csv", TestFiles.BadMovies)));
        await sqs.SendMessageAsync(queueUrl, await EventForAsync(lake, "landing/movies.csv.gz", MoviesGz));
        await sqs.SendMessageAsync(queueUrl, "this is not an event");
        // S3 fails for this one (the bucket does not exist): it must stay for the next replay.
        await sqs.SendMessageAsync(queueUrl, FailureRecord(EventJson.S3Event("no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "landing/x.csv", "0123", null, 10)));

        var (results, anyFailed, stderr) = await ReplayAsync(lake, sqs, queueUrl);
        Assert.True(anyFailed);
        Assert.Equal(5, results.Count);
        var byKey = results.Where(r => r.Key is not null).ToDictionary(r => r.Key!);
        var movies = byKey["landing/movies.csv"];
        Assert.Equal(Outcomes.Accepted, movies.Outcome);
        Assert.Contains("RetriesExhausted after 3 attempt(s): IngestFailedException", movies.Message, StringComparison.Ordinal);
        Assert.Equal(TestLake.Sha256(TestFiles.Movies), TestLake.Sha256(await lake.GetBytesAsync($"Raw/Local/CSV/Movies/{TestLake.DatePath}/movies.csv")));
        Assert.Equal(Outcomes.Rejected, byKey["landing/bad/movies-bad.csv"].Outcome);
        Assert.Equal($"quarantine/{TestLake.DatePath}/bad/movies-bad.csv", byKey["landing/bad/movies-bad.csv"].DestinationKey);
        Assert.Equal(Outcomes.Accepted, byKey["landing/movies.csv.gz"].Outcome);
        Assert.Equal(TestLake.Sha256(MoviesGz), TestLake.Sha256(await lake.GetBytesAsync($"Raw/Local/CSV/Movies/{TestLake.DatePath}/movies.csv.gz")));
        Assert.Equal(Outcomes.Failed, byKey["landing/x.csv"].Outcome);
        var unparseable = Assert.Single(results, r => r.Key is null);
        Assert.Equal(Outcomes.Failed, unparseable.Outcome);
        Assert.Contains("left in the queue: the message body is not JSON", unparseable.Message, StringComparison.Ordinal);
        Assert.Contains("failed 2", stderr, StringComparison.Ordinal);

        // The two that did not finish stay, visible again at once; the finished ones are gone.
        Assert.Equal(2, await CountMessagesAsync(sqs, queueUrl));

        // Replaying an event again is idempotent: the pipeline answers duplicate and the message is deleted.
        await sqs.SendMessageAsync(queueUrl, FailureRecord(moviesEvent));
        var (again, _, _) = await ReplayAsync(lake, sqs, queueUrl);
        Assert.Equal(Outcomes.Duplicate, Assert.Single(again, r => r.Key == "landing/movies.csv").Outcome);
        Assert.Equal(2, await CountMessagesAsync(sqs, queueUrl));
        Assert.Equal(1, await lake.CountVersionsAsync($"manifests/Movies/{TestLake.DatePath}/movies.csv.json"));
    }

    [Fact]
    public async Task Dry_run_and_max_leave_the_queue_and_the_lake_as_they_were()
    {
        using var lake = await NewLakeAsync();
        using var sqs = Sqs();
        var queueUrl = (await sqs.CreateQueueAsync($"failures-{Guid.NewGuid():N}")).QueueUrl;
        await sqs.SendMessageAsync(queueUrl, FailureRecord(await EventForAsync(lake, "landing/movies.csv", TestFiles.Movies)));
        await sqs.SendMessageAsync(queueUrl, FailureRecord(await EventForAsync(lake, "landing/series.csv", TestFiles.Series)));

        var (dry, dryFailed, _) = await ReplayAsync(lake, sqs, queueUrl, dryRun: true);
        Assert.False(dryFailed);
        Assert.Equal(2, dry.Count);
        Assert.All(dry, r => Assert.StartsWith("dry run: would write", r.Message, StringComparison.Ordinal));
        Assert.Equal(2, await CountMessagesAsync(sqs, queueUrl));
        Assert.Empty(await lake.ListKeysAsync("Raw/"));

        var (one, _, _) = await ReplayAsync(lake, sqs, queueUrl, max: 1);
        Assert.Equal(Outcomes.Accepted, Assert.Single(one).Outcome);
        Assert.Equal(1, await CountMessagesAsync(sqs, queueUrl));
    }

    [Theory]
    [InlineData("{\"requestContext\":{},\"requestPayload\":{\"Records\":[]},\"responsePayload\":null}", "no records")]
    [InlineData("{\"hello\":1}", "not an S3 event")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"messageId\":\"m1\",\"body\":\"junk\"}]}", "not an S3 event")]
    public void A_message_that_is_not_an_s3_event_is_a_problem_not_a_record(string body, string expected)
    {
        var (queued, problem) = QueuedEvent.Parse(body);
        Assert.Null(queued);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}

public sealed class ReplayCommandTests
{
    [Theory]
    [InlineData]
    [InlineData("--queue-url")]
    [InlineData("--queue-url", "")]
    [InlineData("--queue-url", "http://127.0.0.1:1/000000000000/q", "--max", "0")]
    [InlineData("--queue-url", "http://127.0.0.1:1/000000000000/q", "--bogus")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var stderr = new StringWriter();
        Assert.Equal(IngestLambda.Host.Cli.ExitCodes.Usage, await IngestLambda.Host.Cli.CommandLine.RunAsync(["replay", .. args], new StringWriter(), stderr));
        Assert.Contains("usage: bootstrap replay", stderr.ToString(), StringComparison.Ordinal);
    }
}
