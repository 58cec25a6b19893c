using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.EndToEnd;

/// <summary>
/// The local AWS of the end-to-end tests: its own <c>moto_server</c> (S3 and SQS) on a free loopback port, or the
/// endpoint in AWS_ENDPOINT_URL (e.g. LocalStack). Set-up and checks go through the aws CLI, as a user's would.
/// A missing moto_server or aws CLI fails the tests loudly.
/// </summary>
public sealed class LocalAws : IAsyncLifetime
{
    public const string Region = "us-east-1";
    private Process? _moto;

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
        if (FindOnPath("aws") is null)
            throw new InvalidOperationException("The aws CLI is not on PATH; the end-to-end tests upload with `aws s3 cp`.");
        if (System.Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 } external)
        {
            Endpoint = external.TrimEnd('/');
            return;
        }

        var executable = FindOnPath("moto_server")
            ?? throw new InvalidOperationException("moto_server is not on PATH (pip install 'moto[server]'), or set AWS_ENDPOINT_URL to LocalStack.");
        var port = FreeLoopbackPort();
        Endpoint = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.ToString() })
            start.ArgumentList.Add(argument);
        _moto = Process.Start(start) ?? throw new InvalidOperationException("Could not start moto_server.");
        _moto.OutputDataReceived += (_, _) => { };
        _moto.ErrorDataReceived += (_, _) => { };
        _moto.BeginOutputReadLine();
        _moto.BeginErrorReadLine();

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_moto.HasExited)
                throw new InvalidOperationException($"moto_server exited with code {_moto.ExitCode}.");
            try
            {
                using var response = await http.GetAsync($"{Endpoint}/moto-api/");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"moto_server did not answer on {Endpoint} within 60 s.");
            await Task.Delay(100);
        }
    }

    public Task DisposeAsync()
    {
        if (_moto is { HasExited: false })
        {
            _moto.Kill(entireProcessTree: true);
            _moto.WaitForExit(10_000);
        }
        _moto?.Dispose();
        return Task.CompletedTask;
    }

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

    /// <summary>A bucket with versioning (as the template's) whose ObjectCreated events under prefix/suffix go to a new queue.</summary>
    public async Task<LocalLake> CreateLakeAsync(string name, int maxReceiveCount, string prefix = "landing/", string suffix = ".csv")
    {
        await AwsAsync("s3api", "create-bucket", "--bucket", name);
        await AwsAsync("s3api", "put-bucket-versioning", "--bucket", name, "--versioning-configuration", "Status=Enabled");
        var failures = await CreateQueueAsync($"{name}-failures", new Dictionary<string, string>());
        var redrive = JsonSerializer.Serialize(new Dictionary<string, string> { ["deadLetterTargetArn"] = failures.Arn, ["maxReceiveCount"] = maxReceiveCount.ToString() });
        var events = await CreateQueueAsync($"{name}-events", new Dictionary<string, string> { ["RedrivePolicy"] = redrive, ["VisibilityTimeout"] = "120" });
        var notification = JsonSerializer.Serialize(new
        {
            QueueConfigurations = new[]
            {
                new
                {
                    QueueArn = events.Arn,
                    Events = new[] { "s3:ObjectCreated:*" },
                    Filter = new { Key = new { FilterRules = new[] { new { Name = "prefix", Value = prefix }, new { Name = "suffix", Value = suffix } } } },
                },
            },
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

    /// <summary>An S3 client for checks; response checksums only when required (moto keeps composite CRCs on copies).</summary>
    public IAmazonS3 CreateS3Client() => new AmazonS3Client(new BasicAWSCredentials("test", "test"), new AmazonS3Config
    {
        ServiceURL = Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = Region,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>A bucket or queue name no earlier run used, for a shared endpoint such as a long-running LocalStack.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

public sealed record QueueAddress(string Url, string Arn);

public sealed record LocalLake(LocalAws Aws, string Bucket, QueueAddress Events, QueueAddress Failures);
