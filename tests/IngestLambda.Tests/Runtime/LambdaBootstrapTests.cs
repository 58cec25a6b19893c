using System.Net;
using System.Text;
using System.Text.Json;
using IngestLambda.Host.Runtime;
using IngestLambda.Observability;

namespace IngestLambda.Tests.Runtime;

/// <summary>
/// The loop in-process against the fake Runtime API, with test handlers. One class (one xunit collection) because
/// the trace id lives in the process environment.
/// </summary>
[Collection(TraceIdCollection)]
public sealed class LambdaBootstrapTests
{
    /// <summary>Tests that set or read _X_AMZN_TRACE_ID run one at a time.</summary>
    public const string TraceIdCollection = "_X_AMZN_TRACE_ID";

    private static readonly LambdaEnvironment Environment = new("IngestFunction", "$LATEST", 128, "/aws/lambda/IngestFunction", "2026/11/26/[$LATEST]abc");
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    private static async Task<(int ExitCode, string Log)> RunLoopAsync(FakeRuntimeApi api, LambdaBootstrapHandler handler)
    {
        using var http = RuntimeApiClient.CreateHttpClient();
        using var client = new RuntimeApiClient(http, new Uri($"http://{api.Address}/2018-06-01/"), Environment);
        var log = new StringWriter();
        var exitCode = await new LambdaBootstrap(client, handler, new JsonLog(log, LogSettings.Default with { Minimum = LogLevel.Trace })).RunAsync().WaitAsync(TestTimeout);
        return (exitCode, log.ToString());
    }

    private static InvocationResponse Respond(string json) => new(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    private static async Task<string> ReadAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task Posts_the_handler_output_as_the_response_of_that_request()
    {
        await using var api = FakeRuntimeApi.Start();
        var invocation = FakeInvocation.Create("""{"n":1}""");
        api.Enqueue(invocation);

        var (exitCode, _) = await RunLoopAsync(api, async (request, _) =>
            Respond($$"""{"echo":{{await ReadAsync(request.InputStream)}}}"""));

        var response = Assert.Single(api.RequestsTo("/response"));
        Assert.Equal($"/2018-06-01/runtime/invocation/{invocation.RequestId}/response", response.Path);
        Assert.Equal("POST", response.Method);
        Assert.Equal("""{"echo":{"n":1}}""", response.Body);
        Assert.Empty(api.RequestsTo("/error"));
        Assert.Equal(1, exitCode); // the drained fake answers /next with 500, which ends the loop
    }

    [Fact]
    public async Task A_handler_exception_is_posted_as_an_error_with_body_and_header_and_the_loop_goes_on()
    {
        await using var api = FakeRuntimeApi.Start();
        var failing = FakeInvocation.Create("""{"fail":true}""");
        var next = FakeInvocation.Create("""{"fail":false}""");
        api.Enqueue(failing, next);

        await RunLoopAsync(api, async (request, _) =>
        {
            if ((await ReadAsync(request.InputStream)).Contains("true", StringComparison.Ordinal))
                throw new InvalidDataException("bucket ingest-lake-local unreachable");
            return Respond("{}");
        });

        var error = Assert.Single(api.RequestsTo("/error"));
        Assert.Equal($"/2018-06-01/runtime/invocation/{failing.RequestId}/error", error.Path);
        Assert.Equal("InvalidDataException", error.Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(error.Body);
        Assert.Equal("bucket ingest-lake-local unreachable", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidDataException", body.RootElement.GetProperty("errorType").GetString());
        Assert.Equal(JsonValueKind.Array, body.RootElement.GetProperty("stackTrace").ValueKind);
        Assert.NotEqual(0, body.RootElement.GetProperty("stackTrace").GetArrayLength());
        Assert.StartsWith("application/vnd.aws.lambda.error+json", error.Header("Content-Type"), StringComparison.Ordinal);

        var response = Assert.Single(api.RequestsTo("/response"));
        Assert.Contains(next.RequestId, response.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_500_from_next_ends_the_loop_with_a_failure_exit_code_without_calling_the_handler()
    {
        await using var api = FakeRuntimeApi.Start(); // nothing queued: the first /next gets 500
        var handlerCalls = 0;

        var (exitCode, log) = await RunLoopAsync(api, (_, _) =>
        {
            handlerCalls++;
            return Task.FromResult(Respond("{}"));
        });

        Assert.Equal(1, exitCode);
        Assert.Equal(0, handlerCalls);
        Assert.Single(api.Requests);
        Assert.Contains("500", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_500_on_the_response_post_ends_the_loop_before_asking_for_more()
    {
        await using var api = FakeRuntimeApi.Start();
        var first = FakeInvocation.Create("{}");
        api.Enqueue(first, FakeInvocation.Create("{}"));
        api.ResponseStatus[first.RequestId] = HttpStatusCode.InternalServerError;

        var (exitCode, _) = await RunLoopAsync(api, (_, _) => Task.FromResult(Respond("{}")));

        Assert.Equal(1, exitCode);
        Assert.Single(api.RequestsTo("/next"));
        Assert.Single(api.RequestsTo("/response"));
    }

    [Fact]
    public async Task An_invocation_without_a_request_id_ends_the_loop_cleanly_instead_of_crashing()
    {
        await using var api = FakeRuntimeApi.Start();
        api.Enqueue(FakeInvocation.Create("{}") with { RequestId = "" });
        var handlerCalls = 0;

        var (exitCode, log) = await RunLoopAsync(api, (_, _) =>
        {
            handlerCalls++;
            return Task.FromResult(Respond("{}"));
        });

        Assert.Equal(1, exitCode);
        Assert.Equal(0, handlerCalls);
        Assert.Single(api.Requests);
        Assert.Contains("Lambda-Runtime-Aws-Request-Id", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_413_on_a_too_large_response_is_reported_as_an_invocation_error_not_a_crash()
    {
        await using var api = FakeRuntimeApi.Start();
        var tooLarge = FakeInvocation.Create("{}");
        var after = FakeInvocation.Create("{}");
        api.Enqueue(tooLarge, after);
        api.ResponseStatus[tooLarge.RequestId] = HttpStatusCode.RequestEntityTooLarge;

        await RunLoopAsync(api, (_, _) => Task.FromResult(Respond("{}")));

        var error = Assert.Single(api.RequestsTo("/error"));
        Assert.Equal($"/2018-06-01/runtime/invocation/{tooLarge.RequestId}/error", error.Path);
        Assert.Equal(LambdaBootstrap.ResponseTooLargeErrorType, error.Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(error.Body);
        Assert.Equal(LambdaBootstrap.ResponseTooLargeErrorType, body.RootElement.GetProperty("errorType").GetString());
        Assert.Contains("413", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        // The loop survived and served the next invocation.
        Assert.Equal(2, api.RequestsTo("/response").Count);
        Assert.Equal(3, api.RequestsTo("/next").Count);
    }

    [Fact]
    public async Task Several_invocations_in_a_row_each_get_their_own_context_and_response()
    {
        await using var api = FakeRuntimeApi.Start();
        var invocations = Enumerable.Range(1, 5).Select(i => FakeInvocation.Create($$"""{"i":{{i}}}""")).ToArray();
        api.Enqueue(invocations);
        var seenIds = new List<string>();

        await RunLoopAsync(api, async (request, _) =>
        {
            seenIds.Add(request.LambdaContext.AwsRequestId);
            return Respond(await ReadAsync(request.InputStream));
        });

        Assert.Equal(invocations.Select(i => i.RequestId), seenIds);
        var responses = api.RequestsTo("/response");
        Assert.Equal(invocations.Select(i => $"/2018-06-01/runtime/invocation/{i.RequestId}/response"), responses.Select(r => r.Path));
        Assert.Equal(invocations.Select(i => i.Payload), responses.Select(r => r.Body));
    }

    [Fact]
    public async Task The_trace_id_is_set_in_the_environment_per_invocation_and_cleared_when_absent()
    {
        await using var api = FakeRuntimeApi.Start();
        const string trace = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
        api.Enqueue(
            FakeInvocation.Create("{}", traceId: trace),
            FakeInvocation.Create("{}"),
            FakeInvocation.Create("{}", traceId: "Root=1-00000000-000000000000000000000002"));
        var seen = new List<(string? Env, string? Context)>();
        System.Environment.SetEnvironmentVariable(LambdaBootstrap.TraceIdVariable, "stale-from-before");
        try
        {
            await RunLoopAsync(api, (request, _) =>
            {
                seen.Add((System.Environment.GetEnvironmentVariable(LambdaBootstrap.TraceIdVariable), request.LambdaContext.TraceId));
                return Task.FromResult(Respond("{}"));
            });
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(LambdaBootstrap.TraceIdVariable, null);
        }

        Assert.Equal(
            [(trace, trace), (null, null), ("Root=1-00000000-000000000000000000000002", "Root=1-00000000-000000000000000000000002")],
            seen);
    }

    [Fact]
    public async Task The_context_carries_the_headers_the_deadline_and_the_function_environment()
    {
        await using var api = FakeRuntimeApi.Start();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(42);
        var invocation = new FakeInvocation(
            "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
            "{}",
            deadline.ToUnixTimeMilliseconds(),
            "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime:prod",
            ClientContext: """{"client":{"installation_id":"i-1"}}""",
            CognitoIdentity: """{"cognitoIdentityId":"us-east-1:abc","cognitoIdentityPoolId":"us-east-1:pool"}""");
        api.Enqueue(invocation);
        LambdaContext? context = null;
        TimeSpan remainingAtStart = default;

        await RunLoopAsync(api, (request, _) =>
        {
            context = request.LambdaContext;
            remainingAtStart = request.LambdaContext.RemainingTime;
            return Task.FromResult(Respond("{}"));
        });

        Assert.NotNull(context);
        Assert.Equal("8476a536-e9f4-11e8-9739-2dfe598c3fcd", context.AwsRequestId);
        Assert.Equal("arn:aws:lambda:us-east-2:123456789012:function:custom-runtime:prod", context.InvokedFunctionArn);
        Assert.Equal(invocation.ClientContext, context.ClientContextJson);
        Assert.Equal(invocation.CognitoIdentity, context.CognitoIdentityJson);
        Assert.Null(context.TraceId);
        Assert.Equal("IngestFunction", context.FunctionName);
        Assert.Equal("$LATEST", context.FunctionVersion);
        Assert.Equal(128, context.MemoryLimitInMB);
        Assert.Equal("/aws/lambda/IngestFunction", context.LogGroupName);
        Assert.Equal("2026/11/26/[$LATEST]abc", context.LogStreamName);
        // The deadline is absolute: the time left is what remains of the 42 s, never more.
        Assert.InRange(remainingAtStart, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(42));
        Assert.True(context.RemainingTime < remainingAtStart);
    }

    [Fact]
    public async Task A_deadline_in_the_past_gives_negative_remaining_time()
    {
        await using var api = FakeRuntimeApi.Start();
        api.Enqueue(FakeInvocation.Create("{}", timeLeft: TimeSpan.FromSeconds(-3)));
        TimeSpan remaining = default;

        await RunLoopAsync(api, (request, _) =>
        {
            remaining = request.LambdaContext.RemainingTime;
            return Task.FromResult(Respond("{}"));
        });

        Assert.InRange(remaining, TimeSpan.FromSeconds(-30), TimeSpan.FromSeconds(-3));
    }

    [Fact]
    public async Task The_error_post_surviving_a_403_does_not_stop_the_loop()
    {
        await using var api = FakeRuntimeApi.Start();
        api.ErrorStatus = HttpStatusCode.Forbidden;
        api.Enqueue(FakeInvocation.Create("{}"), FakeInvocation.Create("{}"));
        var calls = 0;

        var (exitCode, log) = await RunLoopAsync(api, (_, _) =>
        {
            if (++calls == 1)
                throw new InvalidOperationException("first fails");
            return Task.FromResult(Respond("{}"));
        });

        Assert.Equal(2, calls);
        Assert.Single(api.RequestsTo("/error"));
        Assert.Single(api.RequestsTo("/response"));
        Assert.Contains("403", log, StringComparison.Ordinal);
        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task Cancelling_the_loop_while_waiting_for_next_returns_zero()
    {
        using var blocking = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        blocking.Start(); // accepts connections but never answers: /next blocks like a frozen Lambda environment
        var port = ((IPEndPoint)blocking.LocalEndpoint).Port;
        using var http = RuntimeApiClient.CreateHttpClient();
        using var client = new RuntimeApiClient(http, new Uri($"http://127.0.0.1:{port}/2018-06-01/"), Environment);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var exitCode = await new LambdaBootstrap(client, (_, _) => Task.FromResult(Respond("{}")), new JsonLog(TextWriter.Null, LogSettings.Default)).RunAsync(cts.Token).WaitAsync(TestTimeout);

        Assert.Equal(0, exitCode);
    }

    [Fact]
    public void The_runtime_api_client_never_times_out()
    {
        using var http = RuntimeApiClient.CreateHttpClient();

        Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
    }

    [Fact]
    public async Task A_non_seekable_result_is_sent_whole_with_a_content_length()
    {
        await using var api = FakeRuntimeApi.Start();
        api.Enqueue(FakeInvocation.Create("{}"));
        var json = "{\"records\":[" + string.Join(",", Enumerable.Repeat("\"x\"", 10_000)) + "]}";

        await RunLoopAsync(api, (_, _) => Task.FromResult(new InvocationResponse(new NonSeekableStream(Encoding.UTF8.GetBytes(json)))));

        var response = Assert.Single(api.RequestsTo("/response"));
        Assert.Equal(json, response.Body);
        Assert.Equal(Encoding.UTF8.GetByteCount(json).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("Content-Length"));
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
