using System.Text;
using System.Text.Json;
using IngestLambda.Core.Reports;
using IngestLambda.Host;
using IngestLambda.Lake;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Ingestion;

/// <summary>
/// What one invocation answers and logs for each shape of event (direct, SQS-wrapped with batch item failures,
/// EventBridge, SNS, S3 test events, unknown payloads), and the failures that must fail it or be refused, against
/// moto_server.
/// </summary>
public sealed class InvocationTests(MotoServer moto) : LakeTests(moto)
{
    [Fact]
    public async Task SQS_wrapped_events_test_events_and_keys_outside_the_landing_prefix()
    {
        using var lake = await NewLakeAsync();
        var movies = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        await lake.PutAsync("elsewhere/movies.csv", TestFiles.Movies);
        var outside = EventJson.S3Event(lake.Bucket, "elsewhere/movies.csv", "abc", null, 1);
        var folder = EventJson.S3Event(lake.Bucket, "landing/folder/", "d41d8cd98f00b204e9800998ecf8427e", null, 0);
        var removed = EventJson.S3Event(lake.Bucket, "landing/movies.csv", "abc", null, 1, eventName: "ObjectRemoved:Delete");
        var eventJson = EventJson.SqsEvent(movies, EventJson.TestEvent(lake.Bucket), outside, folder, removed, "not json");

        var result = await lake.InvokeAsync(eventJson);

        Assert.Equal([Outcomes.Accepted, Outcomes.Skipped, Outcomes.Skipped, Outcomes.Skipped, Outcomes.Skipped, Outcomes.Skipped],
            result.Records.Select(r => r.Outcome));
        Assert.Equal(["msg-0", "msg-1", "msg-2", "msg-3", "msg-4", "msg-5"], result.Records.Select(r => r.SqsMessageId));
        Assert.Contains("TestEvent", result.Records[1].Message, StringComparison.Ordinal);
        Assert.Contains("LANDING_PREFIX", result.Records[2].Message, StringComparison.Ordinal);
        Assert.Contains("folder marker", result.Records[3].Message, StringComparison.Ordinal);
        Assert.Contains("ObjectCreated", result.Records[4].Message, StringComparison.Ordinal);
        Assert.Contains("not JSON", result.Records[5].Message, StringComparison.Ordinal);
        Assert.Equal([$"{Raw}Movies/{TestLake.DatePath}/movies.csv"], await lake.ListKeysAsync(Raw));
    }

    [Fact]
    public async Task An_S3_failure_fails_the_invocation_after_the_other_records_are_done()
    {
        using var lake = await NewLakeAsync();
        var good = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        var noBucket = EventJson.S3Event("ingest-no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "landing/x.csv", "abc", null, 10);
        using var function = lake.Function();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(EventJson.Combined(noBucket, good)));

        var failure = await Assert.ThrowsAsync<IngestFailedException>(() => function.HandleAsync(input, new LocalLambdaContext(TimeSpan.FromMinutes(1))));

        Assert.Equal([Outcomes.Failed, Outcomes.Accepted], failure.PartialResult.Records.Select(r => r.Outcome));
        Assert.Single(failure.InnerExceptions);
        Assert.Contains("landing/x.csv", failure.Message, StringComparison.Ordinal);
        Assert.Single(await lake.ListKeysAsync(Raw));
    }

    [Fact]
    public async Task An_SQS_batch_answers_its_failed_messages_once_in_batchItemFailures_and_succeeds()
    {
        using var lake = await NewLakeAsync();
        var good = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        var noBucket = EventJson.S3Event("ingest-no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "landing/x.csv", "abc", null, 10);
        var twoFailing = EventJson.Combined(noBucket, noBucket); // one message, two failed records: named once
        using var function = lake.Function();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(EventJson.SqsEvent(good, twoFailing, EventJson.TestEvent(lake.Bucket))));

        await using var output = await function.HandleAsync(input, new LocalLambdaContext(TimeSpan.FromMinutes(1)));

        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["accepted", "failed", "failed", "skipped"], result.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        var failure = Assert.Single(result.GetProperty("batchItemFailures").EnumerateArray());
        Assert.Equal("msg-1", failure.GetProperty("itemIdentifier").GetString());
        Assert.Single(await lake.ListKeysAsync(Raw));
    }

    [Fact]
    public async Task An_SQS_batch_without_failures_answers_an_empty_batchItemFailures_and_a_direct_event_none()
    {
        using var lake = await NewLakeAsync();
        var good = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        using var function = lake.Function();

        await using var sqs = await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(EventJson.SqsEvent(good))), new LocalLambdaContext(TimeSpan.FromMinutes(1)));
        await using var direct = await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(good)), new LocalLambdaContext(TimeSpan.FromMinutes(1)));

        Assert.Equal(0, JsonDocument.Parse(sqs).RootElement.GetProperty("batchItemFailures").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(direct).RootElement.GetProperty("batchItemFailures").ValueKind);
    }

    [Fact]
    public async Task A_copy_that_cannot_finish_before_the_deadline_is_refused_and_nothing_is_written()
    {
        using var lake = await NewLakeAsync();
        var eventJson = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        var config = lake.Config(c => c with { DeadlineMargin = TimeSpan.FromSeconds(30) });
        using var function = lake.Function(config);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));

        var failure = await Assert.ThrowsAsync<IngestFailedException>(() => function.HandleAsync(input, new LocalLambdaContext(TimeSpan.FromSeconds(20))));

        Assert.IsType<DeadlineException>(Assert.Single(failure.InnerExceptions));
        Assert.Equal(["landing/movies.csv"], await lake.ListKeysAsync());
        // With time enough, the retry starts clean and succeeds.
        Assert.Equal(Outcomes.Accepted, (await lake.InvokeOneAsync(eventJson)).Outcome);
    }

    [Fact]
    public async Task Each_record_writes_one_JSON_log_line_with_EMF_metrics_for_ingested_files()
    {
        using var lake = await NewLakeAsync();
        var movies = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);

        await lake.InvokeAsync(EventJson.SqsEvent(movies, EventJson.TestEvent(lake.Bucket)));

        var lines = lake.Log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        var accepted = lines[0];
        Assert.Equal("INFO", accepted.GetProperty("level").GetString());
        Assert.Equal("accepted", accepted.GetProperty("outcome").GetString());
        Assert.Equal("landing/movies.csv", accepted.GetProperty("key").GetString());
        Assert.Equal("Movies", accepted.GetProperty("dataset").GetString());
        Assert.Equal(2000, accepted.GetProperty("rows").GetInt64());
        Assert.True(accepted.TryGetProperty("requestId", out _));
        Assert.True(accepted.TryGetProperty("durationMs", out _));
        var emf = accepted.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("IngestLambda", emf.GetProperty("Namespace").GetString());
        Assert.Contains(emf.GetProperty("Metrics").EnumerateArray(), m => m.GetProperty("Name").GetString() == "FilesAccepted");
        Assert.Equal(1, accepted.GetProperty("FilesAccepted").GetInt32());
        Assert.Equal(2000, accepted.GetProperty("Rows").GetInt64());
        // Per dataset (issue #27): Rows and NullRate under FunctionName and Dataset.
        var perDataset = accepted.GetProperty("_aws").GetProperty("CloudWatchMetrics")[1];
        Assert.Equal(["FunctionName", "Dataset"], perDataset.GetProperty("Dimensions")[0].EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(["Rows", "NullRate"], perDataset.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()));
        Assert.Equal("Movies", accepted.GetProperty("Dataset").GetString());
        Assert.True(accepted.GetProperty("NullRate").GetDouble() is > 0 and < 100);
        Assert.Equal("skipped", lines[1].GetProperty("outcome").GetString());
        Assert.False(lines[1].TryGetProperty("_aws", out _));
    }

    [Fact]
    public async Task An_unknown_payload_is_answered_skipped_with_the_reason_never_a_failure_Lambda_retries()
    {
        using var lake = await NewLakeAsync();
        using var function = lake.Function();
        using var input = new MemoryStream("{\"hello\":1}"u8.ToArray());

        await using var output = await function.HandleAsync(input, new LocalLambdaContext(TimeSpan.FromMinutes(1)));

        var record = Assert.Single(JsonDocument.Parse(output).RootElement.GetProperty("records").EnumerateArray());
        Assert.Equal("skipped", record.GetProperty("outcome").GetString());
        Assert.Contains("detail-type", record.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_events_delivered_through_EventBridge_or_SNS_are_ingested_like_direct_ones()
    {
        using var lake = await NewLakeAsync();
        const string key = "landing/vendor a/movies+1.csv"; // EventBridge sends it as it is, S3 (and SNS) form-URL-encoded
        var landed = await lake.PutAsync(key, TestFiles.Movies);
        var eventBridge = $$$"""
            {"version":"0","id":"e1","detail-type":"Object Created","source":"aws.s3","account":"123456789012","time":"{{{TestLake.EventTime}}}",
             "region":"us-east-1","resources":["arn:aws:s3:::{{{lake.Bucket}}}"],
             "detail":{"version":"0","bucket":{"name":"{{{lake.Bucket}}}"},
               "object":{"key":"{{{key}}}","size":{{{TestFiles.Movies.Length}}},"etag":{{{JsonSerializer.Serialize(landed.ETag.Trim('"'))}}},"version-id":"{{{landed.VersionId}}}","sequencer":"0067458A1B2C3D4E5F"},
               "request-id":"r","requester":"123456789012","source-ip-address":"127.0.0.1","reason":"PutObject"}}
            """;
        var s3Event = EventJson.S3Event(lake.Bucket, key, landed.ETag, landed.VersionId, TestFiles.Movies.Length);
        var sns = """{"Records":[{"EventSource":"aws:sns","EventVersion":"1.0","Sns":{"Type":"Notification","MessageId":"m","Message":""" + JsonSerializer.Serialize(s3Event) + "}}]}";

        var first = await lake.InvokeOneAsync(eventBridge);
        var second = await lake.InvokeOneAsync(sns);

        Assert.Equal(Outcomes.Accepted, first.Outcome);
        Assert.Equal(key, first.Key);
        Assert.Equal($"{Raw}Movies/{TestLake.DatePath}/vendor a/movies+1.csv", first.DestinationKey);
        Assert.Equal(TestLake.Sha256(TestFiles.Movies), TestLake.Sha256(await lake.GetBytesAsync(first.DestinationKey!)));
        Assert.Equal(Outcomes.Duplicate, second.Outcome); // the same object version, announced again through SNS
        Assert.Equal(key, second.Key);
        Assert.Equal(first.DestinationKey, second.DestinationKey);
    }
}
