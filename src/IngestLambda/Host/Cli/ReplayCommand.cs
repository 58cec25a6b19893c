using Amazon.SQS;
using IngestLambda.Configuration;
using IngestLambda.Host.Operations;
using IngestLambda.Lake;

namespace IngestLambda.Host.Cli;

/// <summary>
/// <c>bootstrap replay --queue-url URL [--max N] [--dry-run]</c>: re-runs the events waiting in the failure queue and
/// deletes each message whose records all finished. Exit 0, 1 if any record failed or a message stayed, 2 on a usage,
/// configuration or access error (a queue that is missing or cannot be read: nothing was replayed).
/// </summary>
internal static class ReplayCommand
{
    internal const string Usage = "usage: bootstrap replay --queue-url URL [--max N] [--dry-run]";

    /// <summary>Runs with the arguments <see cref="CommandDeclarations.Replay"/> parsed.</summary>
    public static async Task<int> RunAsync(string? queueUrl, int? max, bool dryRun, TextWriter stdout, TextWriter stderr)
    {
        if (queueUrl is null)
        {
            await stderr.WriteLineAsync($"replay: --queue-url is required.\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        if (!Uri.TryCreate(queueUrl, UriKind.Absolute, out _) || max is < 1)
        {
            await stderr.WriteLineAsync($"replay: {(max is < 1 ? "--max needs a positive number" : "--queue-url needs an absolute queue URL")}.\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var request = new ReplayRequest(queueUrl, max, dryRun);
        return await OperatorRun.RunAsync("replay", stdout, stderr, "the queue had no messages; nothing to replay", async (function, output, cancel) =>
        {
            using var sqs = CreateSqsClient(function.Config);
            await new Replay(function, sqs, output).RunAsync(request, cancel).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>The SDK's credential chain; AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL overrides the endpoint (moto, LocalStack).</summary>
    private static AmazonSQSClient CreateSqsClient(IngestConfig config)
    {
        var sqsConfig = new AmazonSQSConfig();
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SQS") is { Length: > 0 } sqs ? sqs : Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        S3ClientFactory.ApplyEndpoint(sqsConfig, string.IsNullOrEmpty(endpoint) ? null : endpoint, config.Region);
        return new AmazonSQSClient(sqsConfig);
    }
}
