using System.Globalization;

namespace IngestLambda.LocalHost;

/// <summary>Command-line settings of the local Lambda host (each also readable from an environment variable).</summary>
internal sealed record HostOptions
{
    public const string Usage = """
        Usage: IngestLambda.LocalHost --queue-url URL [options]
        Long-polls an SQS queue and serves its messages, wrapped in an SQS event as Lambda's poller sends it, to
        `bootstrap` processes through the Lambda Runtime API, like an event source mapping with
        ReportBatchItemFailures: after a successful response the messages are deleted except those the response
        names in "batchItemFailures"; after an error (or an invalid batchItemFailures) the whole batch becomes
        visible again. The queue's redrive policy moves a message to a failure queue after its maxReceiveCount.
        The children inherit this process's environment (AWS_*, LANDING_PREFIX, ...).

          --queue-url URL          queue to poll (LOCALHOST_QUEUE_URL)
          --bootstrap PATH         the function executable (default artifacts/function/bootstrap)
          --concurrency N          bootstrap processes, each serving one invocation at a time (default 2)
          --batch-size N           messages per invocation, at most 10 (default 1)
          --timeout SECONDS        function timeout: deadline sent to the runtime; a run past it is killed (default 60)
          --init-timeout SECONDS   time a new process gets to ask for its first invocation (default 10)
          --retry-delay SECONDS    how long a failed message stays invisible before it is redelivered (default 0)
          --wait-seconds SECONDS   SQS long-poll wait (default 10)
          --function-name NAME     reported to the runtime and in the function ARN (default IngestFunction)
          --memory MB              AWS_LAMBDA_FUNCTION_MEMORY_SIZE (default 1024)
          --endpoint-url URL       SQS endpoint (default AWS_ENDPOINT_URL_SQS, then AWS_ENDPOINT_URL)
          --region REGION          (default AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1)
        """;

    public required string QueueUrl { get; init; }
    public string BootstrapPath { get; init; } = Path.Combine("artifacts", "function", "bootstrap");
    public int Concurrency { get; init; } = 2;
    public int BatchSize { get; init; } = 1;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int RetryDelaySeconds { get; init; }
    public int WaitSeconds { get; init; } = 10;
    public string FunctionName { get; init; } = "IngestFunction";
    public int MemoryMB { get; init; } = 1024;
    public string? EndpointUrl { get; init; }
    public string Region { get; init; } = "us-east-1";

    /// <summary>SQS keeps a received message hidden this long; longer than the timeout so it never reappears mid-run.</summary>
    public int VisibilityTimeoutSeconds => (int)Timeout.TotalSeconds + 30;

    public string FunctionArn => $"arn:aws:lambda:{Region}:000000000000:function:{FunctionName}";

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message fit for the user.</summary>
    public static HostOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new ArgumentException($"Expected '--option value', got '{name}'.");
            values[name[2..]] = args[++i];
        }

        string? Get(string name, string? variable = null) =>
            values.Remove(name, out var value) ? value : variable is null ? null : NullIfEmpty(environment(variable));

        var queueUrl = Get("queue-url", "LOCALHOST_QUEUE_URL") ?? throw new ArgumentException("--queue-url is required.");
        var options = new HostOptions
        {
            QueueUrl = queueUrl,
            BootstrapPath = Get("bootstrap") ?? Path.Combine("artifacts", "function", "bootstrap"),
            Concurrency = Number(Get("concurrency"), "concurrency", 2, 1, 64),
            BatchSize = Number(Get("batch-size"), "batch-size", 1, 1, 10),
            Timeout = TimeSpan.FromSeconds(Number(Get("timeout"), "timeout", 60, 1, 900)),
            InitTimeout = TimeSpan.FromSeconds(Number(Get("init-timeout"), "init-timeout", 10, 1, 600)),
            RetryDelaySeconds = Number(Get("retry-delay"), "retry-delay", 0, 0, 43200),
            WaitSeconds = Number(Get("wait-seconds"), "wait-seconds", 10, 0, 20),
            FunctionName = Get("function-name") ?? "IngestFunction",
            MemoryMB = Number(Get("memory"), "memory", 1024, 128, 10240),
            EndpointUrl = Get("endpoint-url") ?? NullIfEmpty(environment("AWS_ENDPOINT_URL_SQS")) ?? NullIfEmpty(environment("AWS_ENDPOINT_URL")),
            Region = Get("region") ?? NullIfEmpty(environment("AWS_REGION")) ?? NullIfEmpty(environment("AWS_DEFAULT_REGION")) ?? "us-east-1",
        };
        if (values.Count > 0)
            throw new ArgumentException($"Unknown option --{values.Keys.First()}.");
        return options;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static int Number(string? text, string name, int fallback, int min, int max)
    {
        if (text is null)
            return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new ArgumentException($"--{name} must be a whole number from {min} to {max}, got '{text}'.");
        return value;
    }
}
