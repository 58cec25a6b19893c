using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Host;
using IngestLambda.Lake;
using IngestLambda.Notifications;
using IngestLambda.Observability;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Notifications;

/// <summary>
/// Issue #27: each file's outcome on EventBridge (moto_server's), read back through a rule whose target is an SQS
/// queue, as a downstream job would subscribe (docs/deploy.md "Outcome events"); and a bus that fails leaves the
/// file's outcome as it was, with one logged and counted failure.
/// </summary>
public sealed class OutcomeEventTests(MotoServer moto) : LakeTests(moto)
{
    [Fact]
    public async Task An_accepted_file_publishes_File_Accepted_with_its_manifest_key()
    {
        using var lake = await NewLakeAsync();
        var (bus, queueUrl) = await SubscribedBusAsync();
        var (landed, @event) = await lake.LandVersionAsync(Key, TestFiles.Movies);

        var record = await InvokeAsync(lake, @event, bus);

        Assert.Equal(Outcomes.Accepted, record.Outcome);
        var published = Assert.Single(await ReceiveAsync(queueUrl));
        Assert.Equal(OutcomeEvent.Source, (string?)published["source"]);
        Assert.Equal("File Accepted", (string?)published["detail-type"]);
        var detail = published["detail"]!;
        Assert.Equal("accepted", (string?)detail["outcome"]);
        Assert.Equal("Movies", (string?)detail["dataset"]);
        Assert.Equal(lake.Bucket, (string?)detail["source"]!["bucket"]);
        Assert.Equal(Key, (string?)detail["source"]!["key"]);
        Assert.Equal(landed.VersionId, (string?)detail["source"]!["versionId"]);
        Assert.Equal(record.ReportKey, (string?)detail["destination"]!["reportKey"]);
        Assert.StartsWith("manifests/Movies/", (string?)detail["destination"]!["reportKey"], StringComparison.Ordinal);
        Assert.Equal(record.DestinationKey, (string?)detail["destination"]!["key"]);
        Assert.Equal(2000, (long?)detail["rows"]);
        Assert.Empty(detail["errors"]!.AsArray());
        Assert.DoesNotContain(OutcomePublisher.FailureMetric, lake.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_file_publishes_File_Rejected_with_its_report_key_and_first_errors()
    {
        using var lake = await NewLakeAsync();
        var (bus, queueUrl) = await SubscribedBusAsync();
        var (_, @event) = await lake.LandVersionAsync(Key, TestFiles.BadMovies);

        var record = await InvokeAsync(lake, @event, bus);

        Assert.Equal(Outcomes.Rejected, record.Outcome);
        var published = Assert.Single(await ReceiveAsync(queueUrl));
        Assert.Equal("File Rejected", (string?)published["detail-type"]);
        var detail = published["detail"]!;
        Assert.Equal("rejected", (string?)detail["outcome"]);
        Assert.Equal(record.ReportKey, (string?)detail["destination"]!["reportKey"]);
        Assert.StartsWith("quarantine/", (string?)detail["destination"]!["reportKey"], StringComparison.Ordinal);
        Assert.Equal(record.ErrorCount, (long?)detail["errorCount"]);

        // The errors are the report's first ones, at most five.
        using var report = await lake.GetJsonAsync(record.ReportKey!);
        var reported = report.RootElement.GetProperty("validation").GetProperty("errors").EnumerateArray().ToList();
        var errors = detail["errors"]!.AsArray();
        Assert.Equal(Math.Min(OutcomeEvent.MaxListed, reported.Count), errors.Count);
        Assert.NotEmpty(errors);
        for (var i = 0; i < errors.Count; i++)
        {
            Assert.Equal(reported[i].GetProperty("line").GetInt64(), (long?)errors[i]!["line"]);
            Assert.Equal(reported[i].GetProperty("code").GetString(), (string?)errors[i]!["code"]);
            Assert.Equal(reported[i].GetProperty("column").GetString(), (string?)errors[i]!["column"]);
            Assert.Equal(reported[i].GetProperty("message").GetString(), (string?)errors[i]!["message"]);
        }
    }

    [Fact]
    public async Task A_duplicate_event_publishes_nothing_more()
    {
        using var lake = await NewLakeAsync();
        var (bus, queueUrl) = await SubscribedBusAsync();
        var (_, @event) = await lake.LandVersionAsync(Key, TestFiles.Movies);

        await InvokeAsync(lake, @event, bus);
        var again = await InvokeAsync(lake, @event, bus);

        Assert.Equal(Outcomes.Duplicate, again.Outcome);
        Assert.Single(await ReceiveAsync(queueUrl));
    }

    [Fact]
    public async Task An_unreachable_bus_leaves_the_outcome_and_logs_and_counts_the_failure()
    {
        using var lake = await NewLakeAsync();
        var (_, @event) = await lake.LandVersionAsync(Key, TestFiles.Movies);
        var closedPort = new Uri($"http://127.0.0.1:{LocalMachine.FreeLoopbackPort()}/");

        var record = await InvokeAsync(lake, @event, "default", closedPort);

        Assert.Equal(Outcomes.Accepted, record.Outcome);
        await lake.GetJsonAsync(record.ReportKey!); // the manifest is written
        AssertOneCountedFailure(lake.Log.ToString(), "File Accepted");
    }

    [Fact]
    public async Task A_bus_that_answers_an_error_leaves_the_outcome_and_logs_and_counts_the_failure()
    {
        using var lake = await NewLakeAsync();
        var (_, @event) = await lake.LandVersionAsync(Key, TestFiles.BadMovies);

        var record = await InvokeAsync(lake, @event, $"no-such-bus-{Guid.NewGuid():N}");

        Assert.Equal(Outcomes.Rejected, record.Outcome);
        var line = AssertOneCountedFailure(lake.Log.ToString(), "File Rejected");
        Assert.Contains("ResourceNotFoundException", (string?)line["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bus_that_never_answers_is_given_up_before_the_deadline_margin()
    {
        using var lake = await NewLakeAsync();
        var (_, @event) = await lake.LandVersionAsync(Key, TestFiles.Movies);
        // Accepts connections and never answers.
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var endpoint = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/");
            var clock = System.Diagnostics.Stopwatch.StartNew();

            // 4 s to the deadline with a 1 s margin: the publish has what the ingest left of 3 s, not its 10 s request limit.
            var record = await InvokeAsync(lake, @event, "default", endpoint, TimeSpan.FromSeconds(4), c => c with { DeadlineMargin = TimeSpan.FromSeconds(1) });

            Assert.Equal(Outcomes.Accepted, record.Outcome);
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(4));
            var line = AssertOneCountedFailure(lake.Log.ToString(), "File Accepted");
            Assert.Contains("no answer within", (string?)line["message"], StringComparison.Ordinal);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public void An_empty_EVENT_BUS_NAME_publishes_nothing_and_unset_is_the_default_bus()
    {
        Assert.Null(IngestConfig.FromVariables(name => name == "EVENT_BUS_NAME" ? "" : null).EventBusName);
        Assert.Equal("default", IngestConfig.FromVariables(_ => null).EventBusName);
        Assert.False(OutcomePublisher.Create(new IngestConfig { EventBusName = null }, new JsonLog(TextWriter.Null, LogSettings.Default)).Enabled);
        var bad = Assert.Throws<ConfigurationException>(() => IngestConfig.FromVariables(name => name == "EVENT_BUS_NAME" ? "my bus" : null));
        Assert.Contains("EVENT_BUS_NAME", bad.Message, StringComparison.Ordinal);
    }

    /// <summary>The WARN line of the failed publish, carrying the EMF count.</summary>
    private static JsonNode AssertOneCountedFailure(string log, string detailType)
    {
        var failures = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)
            .Where(l => l[OutcomePublisher.FailureMetric] is not null).ToList();
        var line = Assert.Single(failures);
        Assert.Equal("WARN", (string?)line["level"]);
        Assert.Equal(1, (int?)line[OutcomePublisher.FailureMetric]);
        Assert.Contains($"'{detailType}' not published", (string?)line["message"], StringComparison.Ordinal);
        var directive = line["_aws"]!["CloudWatchMetrics"]![0]!;
        Assert.Equal(EmbeddedMetrics.Namespace, (string?)directive["Namespace"]);
        Assert.Equal(OutcomePublisher.FailureMetric, (string?)directive["Metrics"]![0]!["Name"]);
        return line;
    }

    private async Task<RecordResult> InvokeAsync(TestLake lake, string @event, string bus, Uri? eventsEndpoint = null, TimeSpan? timeout = null,
        Func<IngestConfig, IngestConfig>? change = null)
    {
        var config = lake.Config(c => (change ?? (x => x))(c with { EventBusName = bus, EventsEndpoint = eventsEndpoint ?? Moto.Endpoint }));
        var log = new IngestLog(lake.SharedLog, LogLevel.Debug, TimeProvider.System);
        var outcomes = new OutcomePublisher(EventBridgeClient.Create(config, MotoServer.Credentials), bus, log.Log);
        using var function = new IngestFunction(config, S3ClientFactory.Create(config, MotoServer.Credentials), log, ownsClient: true, outcomes: outcomes);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(@event));
        await using var output = await function.HandleAsync(input, new LocalLambdaContext(timeout ?? TimeSpan.FromMinutes(5)));
        return Assert.Single(JsonSerializer.Deserialize(output, IngestResultJsonContext.Default.IngestResult)!.Records);
    }

    /// <summary>A new bus with a rule matching this function's events and an SQS queue as its target.</summary>
    private async Task<(string Bus, string QueueUrl)> SubscribedBusAsync()
    {
        var bus = $"ingest-test-{Guid.NewGuid():N}";
        using var sqs = Sqs();
        var queueUrl = (await sqs.CreateQueueAsync($"outcomes-{Guid.NewGuid():N}")).QueueUrl;
        var queueArn = (await sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;

        using var events = EventBridgeClient.Create(new IngestConfig { EventsEndpoint = Moto.Endpoint, Region = "us-east-1" }, MotoServer.Credentials);
        await CallAsync(events, "AWSEvents.CreateEventBus", new JsonObject { ["Name"] = bus });
        var pattern = new JsonObject { ["source"] = new JsonArray(OutcomeEvent.Source) }.ToJsonString();
        await CallAsync(events, "AWSEvents.PutRule", new JsonObject { ["Name"] = "outcomes", ["EventBusName"] = bus, ["EventPattern"] = pattern });
        await CallAsync(events, "AWSEvents.PutTargets", new JsonObject
        {
            ["Rule"] = "outcomes",
            ["EventBusName"] = bus,
            ["Targets"] = new JsonArray(new JsonObject { ["Id"] = "queue", ["Arn"] = queueArn }),
        });
        return (bus, queueUrl);
    }

    private static Task<byte[]> CallAsync(EventBridgeClient events, string target, JsonObject body) =>
        events.CallAsync(target, Encoding.UTF8.GetBytes(body.ToJsonString()), CancellationToken.None);

    /// <summary>Every event the queue holds (moto delivers during PutEvents, so no wait is needed).</summary>
    private async Task<List<JsonNode>> ReceiveAsync(string queueUrl)
    {
        using var sqs = Sqs();
        var messages = new List<JsonNode>();
        while (true)
        {
            var batch = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
            if (batch.Messages is not { Count: > 0 })
                return messages;
            messages.AddRange(batch.Messages.Select(m => JsonNode.Parse(m.Body)!));
        }
    }

    private AmazonSQSClient Sqs() => new(MotoServer.Credentials, new AmazonSQSConfig { ServiceURL = Moto.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
}
