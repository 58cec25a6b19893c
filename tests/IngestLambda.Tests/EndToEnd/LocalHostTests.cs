using System.Runtime.Versioning;
using System.Text.Json;

namespace IngestLambda.Tests.EndToEnd;

/// <summary>
/// The local Lambda host's contract, with a scripted runtime (bash + curl) in place of bootstrap so that each
/// behaviour is forced exactly: what the runtime receives, delete on success, redelivery and the failure queue
/// after errors, the deadline, and a clean stop.
/// </summary>
[SupportedOSPlatform("linux")]
[Trait("Category", "Integration")]
public sealed class LocalHostTests(LocalAws aws) : IClassFixture<LocalAws>, IDisposable
{
    // What the runtime does is named by the message body; every request it gets is saved in FAKE_RUNTIME_DIR.
    private const string ScriptedRuntime = """
        #!/usr/bin/env bash
        set -u
        api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
        echo $$ >> "$FAKE_RUNTIME_DIR/pids"
        while :; do
          name="$FAKE_RUNTIME_DIR/$(date +%s%N)-$$"
          curl -sS -f -D "$name.headers" -o "$name.event" "$api/invocation/next" || exit 1
          id=$(tr -d '\r' < "$name.headers" | awk -F': ' 'tolower($1) == "lambda-runtime-aws-request-id" { print $2 }')
          event=$(cat "$name.event")
          case "$event" in
            *'"body":"fail"'*)
              curl -sS -f -X POST -H 'Lambda-Runtime-Function-Error-Type: Test.Failed' -d '{"errorMessage":"asked to fail"}' "$api/invocation/$id/error" ;;
            *'"ApproximateReceiveCount":"1"'*'"body":"hang-once"'* | *'"body":"hang-once"'*'"ApproximateReceiveCount":"1"'*)
              sleep 600 ;;
            *'"body":"fail-item"'*)
              python3 -c 'import json, sys; e = json.load(open(sys.argv[1])); print(json.dumps({"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in e["Records"] if r["body"] == "fail-item"]}))' "$name.event" \
                | curl -sS -f -X POST --data-binary @- "$api/invocation/$id/response" ;;
            *'"body":"name-a-stranger"'*)
              curl -sS -f -X POST -d '{"batchItemFailures":[{"itemIdentifier":"not-in-this-batch"}]}' "$api/invocation/$id/response" ;;
            *)
              curl -sS -f -X POST -d '{"handled":true}' "$api/invocation/$id/response" ;;
          esac > /dev/null
        done
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("ingestlambda-runtime-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Runtime
    {
        get
        {
            var path = Path.Combine(_dir, "runtime.sh");
            if (!File.Exists(path))
            {
                File.WriteAllText(path, ScriptedRuntime.ReplaceLineEndings("\n") + "\n");
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            return path;
        }
    }

    private Dictionary<string, string?> Environment => new(aws.Environment) { ["FAKE_RUNTIME_DIR"] = _dir };

    private List<(JsonElement Record, Dictionary<string, string> Headers)> Deliveries() =>
        Directory.GetFiles(_dir, "*.event").Order().Where(file => new FileInfo(file).Length > 0).Select(file =>
        {
            var record = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("Records")[0].Clone();
            var headers = File.ReadAllLines(Path.ChangeExtension(file, ".headers"))
                .Where(line => line.Contains(':'))
                .ToDictionary(line => line[..line.IndexOf(':')].Trim().ToLowerInvariant(), line => line[(line.IndexOf(':') + 1)..].Trim());
            return (record, headers);
        }).ToList();

    private async Task<QueueAddress> QueueWithFailureQueueAsync(string name, int maxReceiveCount)
    {
        name = LocalAws.UniqueName(name);
        var failures = await aws.CreateQueueAsync($"{name}-failures", []);
        var redrive = JsonSerializer.Serialize(new Dictionary<string, string> { ["deadLetterTargetArn"] = failures.Arn, ["maxReceiveCount"] = maxReceiveCount.ToString() });
        var queue = await aws.CreateQueueAsync(name, new Dictionary<string, string> { ["RedrivePolicy"] = redrive });
        _failureQueues[queue.Url] = failures;
        return queue;
    }

    private readonly Dictionary<string, QueueAddress> _failureQueues = [];

    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Not reached within {timeout}:\n{explain()}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_message_reaches_the_runtime_as_an_SQS_event_with_the_invocation_headers_and_is_deleted_after_the_response()
    {
        var queue = await QueueWithFailureQueueAsync("host-ok", maxReceiveCount: 3);
        await using var host = await LocalHostProcess.StartAsync(queue, Runtime, Environment, "--concurrency", "1", "--timeout", "30");
        var sentAt = DateTimeOffset.UtcNow;
        var messageId = (await aws.AwsJsonAsync("sqs", "send-message", "--queue-url", queue.Url, "--message-body", "respond")).GetProperty("MessageId").GetString();

        await EventuallyAsync(async () => host.Lines.Any(l => l.StartsWith("localhost: ok", StringComparison.Ordinal)) && await aws.MessagesInAsync(queue) == 0,
            TimeSpan.FromSeconds(30), () => host.Log);

        var (record, headers) = Assert.Single(Deliveries());
        Assert.Equal(messageId, record.GetProperty("messageId").GetString());
        Assert.Equal("respond", record.GetProperty("body").GetString());
        Assert.Equal("aws:sqs", record.GetProperty("eventSource").GetString());
        Assert.Equal(queue.Arn, record.GetProperty("eventSourceARN").GetString());
        Assert.Equal(LocalAws.Region, record.GetProperty("awsRegion").GetString());
        Assert.False(string.IsNullOrEmpty(record.GetProperty("receiptHandle").GetString()));
        Assert.Equal("1", record.GetProperty("attributes").GetProperty("ApproximateReceiveCount").GetString());

        Assert.True(Guid.TryParse(headers["lambda-runtime-aws-request-id"], out _), headers["lambda-runtime-aws-request-id"]);
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(headers["lambda-runtime-deadline-ms"]));
        Assert.InRange(deadline, sentAt.AddSeconds(29), DateTimeOffset.UtcNow.AddSeconds(31));
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:IngestFunction", headers["lambda-runtime-invoked-function-arn"]);
        Assert.StartsWith("Root=1-", headers["lambda-runtime-trace-id"]);
        Assert.Empty(await aws.PeekBodiesAsync(_failureQueues[queue.Url]));
    }

    [Fact]
    public async Task A_failing_message_is_redelivered_and_after_the_max_receive_count_moves_to_the_failure_queue()
    {
        var queue = await QueueWithFailureQueueAsync("host-fail", maxReceiveCount: 2);
        await using var host = await LocalHostProcess.StartAsync(queue, Runtime, Environment, "--concurrency", "2");
        await aws.AwsAsync("sqs", "send-message", "--queue-url", queue.Url, "--message-body", "fail");

        await EventuallyAsync(async () => (await aws.PeekBodiesAsync(_failureQueues[queue.Url])).Contains("fail"), TimeSpan.FromSeconds(60), () => host.Log);

        var deliveries = Deliveries();
        Assert.Equal(["1", "2"], deliveries.Select(d => d.Record.GetProperty("attributes").GetProperty("ApproximateReceiveCount").GetString()));
        Assert.Single(deliveries.Select(d => d.Record.GetProperty("messageId").GetString()).Distinct());
        Assert.Equal(2, host.Lines.Count(l => l.StartsWith("localhost: error", StringComparison.Ordinal) && l.Contains("Test.Failed")));
        Assert.Equal(0, await aws.MessagesInAsync(queue));
    }

    /// <summary>Every SQS record the runtime was handed, by body, with its receive count.</summary>
    private List<(string Body, string ReceiveCount)> DeliveredRecords() =>
        [.. Directory.GetFiles(_dir, "*.event").Order().Where(file => new FileInfo(file).Length > 0)
            .SelectMany(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("Records").EnumerateArray()
                .Select(r => (r.GetProperty("body").GetString()!, r.GetProperty("attributes").GetProperty("ApproximateReceiveCount").GetString()!)).ToList())];

    [Fact]
    public async Task In_a_batch_only_the_messages_named_in_batchItemFailures_are_redelivered_the_others_are_deleted()
    {
        var queue = await QueueWithFailureQueueAsync("host-batch", maxReceiveCount: 2);
        foreach (var body in new[] { "ok-1", "fail-item", "ok-2" })
            await aws.AwsAsync("sqs", "send-message", "--queue-url", queue.Url, "--message-body", body);
        await using var host = await LocalHostProcess.StartAsync(queue, Runtime, Environment, "--concurrency", "1", "--batch-size", "10");

        await EventuallyAsync(async () => (await aws.PeekBodiesAsync(_failureQueues[queue.Url])).Contains("fail-item"), TimeSpan.FromSeconds(60), () => host.Log);

        var delivered = DeliveredRecords();
        Assert.True(delivered.Count(d => d.Body == "fail-item") == 2, host.Log); // received, named as failed, redelivered once, then redriven
        Assert.Equal(["1"], delivered.Where(d => d.Body == "ok-1").Select(d => d.ReceiveCount)); // deleted after the first success
        Assert.Equal(["1"], delivered.Where(d => d.Body == "ok-2").Select(d => d.ReceiveCount));
        Assert.True(host.Lines.Count(l => l.StartsWith("localhost: error", StringComparison.Ordinal) && l.Contains("batchItemFailures")) == 2, host.Log);
        Assert.Equal(0, await aws.MessagesInAsync(queue));
        Assert.Equal(["fail-item"], await aws.PeekBodiesAsync(_failureQueues[queue.Url]));
    }

    [Fact]
    public async Task A_batch_response_naming_a_message_not_in_the_batch_fails_the_whole_batch()
    {
        var queue = await QueueWithFailureQueueAsync("host-batch-bad", maxReceiveCount: 1);
        await aws.AwsAsync("sqs", "send-message", "--queue-url", queue.Url, "--message-body", "name-a-stranger");
        await using var host = await LocalHostProcess.StartAsync(queue, Runtime, Environment, "--concurrency", "1", "--batch-size", "10");

        await EventuallyAsync(async () => (await aws.PeekBodiesAsync(_failureQueues[queue.Url])).Contains("name-a-stranger"), TimeSpan.FromSeconds(60), () => host.Log);

        Assert.Contains(host.Lines, l => l.StartsWith("localhost: error", StringComparison.Ordinal) && l.Contains("not-in-this-batch"));
    }

    [Fact]
    public async Task A_run_past_the_timeout_is_killed_and_the_message_redelivered_to_a_new_process()
    {
        var queue = await QueueWithFailureQueueAsync("host-timeout", maxReceiveCount: 3);
        await using var host = await LocalHostProcess.StartAsync(queue, Runtime, Environment, "--concurrency", "1", "--timeout", "2");
        await aws.AwsAsync("sqs", "send-message", "--queue-url", queue.Url, "--message-body", "hang-once");

        await EventuallyAsync(async () => host.Lines.Any(l => l.StartsWith("localhost: ok", StringComparison.Ordinal)) && await aws.MessagesInAsync(queue) == 0,
            TimeSpan.FromSeconds(60), () => host.Log);

        Assert.Contains(host.Lines, l => l.StartsWith("localhost: error", StringComparison.Ordinal) && l.Contains("Task timed out after 2 seconds"));
        Assert.Contains(host.Lines, l => l.Contains("exited with code"));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(_dir, "pids")).Distinct().Count());
        Assert.Equal(["1", "2"], Deliveries().Select(d => d.Record.GetProperty("attributes").GetProperty("ApproximateReceiveCount").GetString()));
    }

    [Fact]
    public async Task Stopping_the_host_stops_every_runtime_process_it_started()
    {
        var queue = await QueueWithFailureQueueAsync("host-stop", maxReceiveCount: 3);
        var host = await LocalHostProcess.StartAsync(queue, Runtime, Environment, "--concurrency", "3");
        await using (host)
        {
            var pidsFile = Path.Combine(_dir, "pids");
            await EventuallyAsync(() => Task.FromResult(File.Exists(pidsFile) && File.ReadAllLines(pidsFile).Length == 3), TimeSpan.FromSeconds(30), () => host.Log);
            var pids = File.ReadAllLines(pidsFile).Select(int.Parse).ToList();
            Assert.All(pids, pid => Assert.True(Directory.Exists($"/proc/{pid}"), $"runtime {pid} is not running"));

            Assert.Equal(0, await host.StopAsync());

            Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"runtime {pid} outlived the host"));
            Assert.Contains("localhost: stopped", host.Lines);
        }
    }
}
