using System.Diagnostics;
using IngestLambda.Host.Runtime;
using IngestLambda.Observability;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Runtime;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// One invocation through the real runtime loop, in-process, against the fake Runtime API: the deadline reaches the
/// function as Lambda sends it (Lambda-Runtime-Deadline-Ms), and what the loop posts, and when, is recorded.
/// </summary>
internal static class DeadlineLoop
{
    private static readonly LambdaEnvironment Environment = new("IngestFunction", "$LATEST", 128, "/aws/lambda/IngestFunction", "2026/11/26/[$LATEST]abc");

    /// <returns>The request the loop posted (/response or /error) and how long after the invocation was handed out.</returns>
    public static async Task<(RecordedRequest Answer, TimeSpan After)> InvokeAsync(IngestFunction function, string eventJson, TimeSpan timeLeft, TimeSpan testTimeout)
    {
        await using var api = FakeRuntimeApi.Start();
        var handedOut = Stopwatch.GetTimestamp();
        api.Enqueue(FakeInvocation.Create(eventJson, timeLeft));
        using var http = RuntimeApiClient.CreateHttpClient();
        using var client = new RuntimeApiClient(http, new Uri($"http://{api.Address}/2018-06-01/"), Environment);
        var loop = new LambdaBootstrap(client, async (invocation, cancellationToken) =>
            new InvocationResponse(await function.HandleAsync(invocation.InputStream, invocation.LambdaContext, cancellationToken)), new JsonLog(TextWriter.Null, LogSettings.Default));
        // The queue then answers /next with 500, which ends the loop.
        await loop.RunAsync().WaitAsync(testTimeout);
        var answer = api.Requests.Single(r => r.Path.EndsWith("/response", StringComparison.Ordinal) || r.Path.EndsWith("/error", StringComparison.Ordinal));
        return (answer, Stopwatch.GetElapsedTime(handedOut, answer.Timestamp));
    }
}
