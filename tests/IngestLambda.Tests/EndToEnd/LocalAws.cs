using System.Text.Json;
using Amazon.S3;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.EndToEnd;

/// <summary>
/// The local AWS of the end-to-end tests: its own <see cref="MotoServer"/> (S3 and SQS) on a free loopback port,
/// or the endpoint in AWS_ENDPOINT_URL (e.g. LocalStack). Set-up and checks go through the aws CLI, as a user's
/// would. A missing moto_server or aws CLI fails the tests loudly.
/// </summary>
public sealed class LocalAws : IAsyncLifetime
{
    public const string Region = "us-east-1";

    // Starts moto_server on a free port, or uses AWS_ENDPOINT_URL (LocalStack) when set.
    private readonly MotoServer _moto = new();

    public string Endpoint { get; private set; } = "";

    /// <summary>What the aws CLI, the local host and bootstrap need to reach the local endpoint.</summary>
    public Dictionary<string, string?> Environment => new()
    {
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_DEFAULT_REGION"] = Region,
        ["AWS_REGION"] = Region,
        ["AWS_ENDPOINT_URL"] = Endpoint,
    };

    public async Task InitializeAsync()
    {
        if (LocalMachine.FindOnPath("aws") is null)
            throw new InvalidOperationException("The aws CLI is not on PATH; the end-to-end tests upload with `aws s3 cp`.");
        await _moto.InitializeAsync();
        Endpoint = _moto.Endpoint.ToString().TrimEnd('/');
    }

    public Task DisposeAsync() => _moto.DisposeAsync();

    /// <summary>Runs the aws CLI against the local endpoint and returns its stdout; fails the test on a non-zero exit.</summary>
    public async Task<string> AwsAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("aws", ["--endpoint-url", Endpoint, "--output", "json", .. arguments],
            RepoPaths.Root, TimeSpan.FromMinutes(2), Environment);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)}\n{result}");
        return result.StdOut;
    }

    public async Task<JsonElement> AwsJsonAsync(params string[] arguments)
    {
        var output = await AwsAsync(arguments);
        return string.IsNullOrWhiteSpace(output) ? default : JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>The suffixes of the template's S3 event rules.</summary>
    public static readonly string[] TemplateSuffixes = [".csv", ".csv.gz"];

    /// <summary>A bucket with versioning (as the template's) whose ObjectCreated events under prefix with each suffix go to a new queue.</summary>
    public async Task<LocalLake> CreateLakeAsync(string name, int maxReceiveCount, string prefix = "landing/", string[]? suffixes = null)
    {
        await AwsAsync("s3api", "create-bucket", "--bucket", name);
        await AwsAsync("s3api", "put-bucket-versioning", "--bucket", name, "--versioning-configuration", "Status=Enabled");
        var failures = await CreateQueueAsync($"{name}-failures", new Dictionary<string, string>());
        var redrive = JsonSerializer.Serialize(new Dictionary<string, string> { ["deadLetterTargetArn"] = failures.Arn, ["maxReceiveCount"] = maxReceiveCount.ToString() });
        var events = await CreateQueueAsync($"{name}-events", new Dictionary<string, string> { ["RedrivePolicy"] = redrive, ["VisibilityTimeout"] = "120" });
        var notification = JsonSerializer.Serialize(new
        {
            QueueConfigurations = (suffixes ?? TemplateSuffixes).Select(suffix => new
            {
                QueueArn = events.Arn,
                Events = new[] { "s3:ObjectCreated:*" },
                Filter = new { Key = new { FilterRules = new[] { new { Name = "prefix", Value = prefix }, new { Name = "suffix", Value = suffix } } } },
            }).ToArray(),
        });
        await AwsAsync("s3api", "put-bucket-notification-configuration", "--bucket", name, "--notification-configuration", notification);
        return new LocalLake(this, name, events, failures);
    }

    public async Task<QueueAddress> CreateQueueAsync(string name, Dictionary<string, string> attributes)
    {
        var created = attributes.Count == 0
            ? await AwsJsonAsync("sqs", "create-queue", "--queue-name", name)
            : await AwsJsonAsync("sqs", "create-queue", "--queue-name", name, "--attributes", JsonSerializer.Serialize(attributes));
        var url = created.GetProperty("QueueUrl").GetString()!;
        var arn = (await AwsJsonAsync("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "QueueArn"))
            .GetProperty("Attributes").GetProperty("QueueArn").GetString()!;
        return new QueueAddress(url, arn);
    }

    /// <summary>Visible plus in-flight messages: zero once every message was deleted (or moved to its failure queue).</summary>
    public async Task<int> MessagesInAsync(QueueAddress queue)
    {
        var attributes = (await AwsJsonAsync("sqs", "get-queue-attributes", "--queue-url", queue.Url, "--attribute-names",
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).GetProperty("Attributes");
        return int.Parse(attributes.GetProperty("ApproximateNumberOfMessages").GetString()!)
            + int.Parse(attributes.GetProperty("ApproximateNumberOfMessagesNotVisible").GetString()!);
    }

    /// <summary>The bodies of the messages waiting in a queue (received with a short visibility, so others still see them).</summary>
    public async Task<List<string>> PeekBodiesAsync(QueueAddress queue)
    {
        var received = await AwsJsonAsync("sqs", "receive-message", "--queue-url", queue.Url, "--max-number-of-messages", "10",
            "--visibility-timeout", "0", "--wait-time-seconds", "0");
        return received.ValueKind == JsonValueKind.Object && received.TryGetProperty("Messages", out var messages)
            ? messages.EnumerateArray().Select(m => m.GetProperty("Body").GetString()!).ToList()
            : [];
    }

    /// <summary>An S3 client for checks (response checksums only when required; see MotoServer).</summary>
    public IAmazonS3 CreateS3Client() => _moto.CreateClient();

    /// <summary>A bucket or queue name no earlier run used, for a shared endpoint such as a long-running LocalStack.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}

public sealed record QueueAddress(string Url, string Arn);

public sealed record LocalLake(LocalAws Aws, string Bucket, QueueAddress Events, QueueAddress Failures);
