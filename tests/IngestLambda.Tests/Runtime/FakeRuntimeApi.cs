using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Runtime;

/// <summary>An invocation the fake hands out on <c>GET /next</c>.</summary>
internal sealed record FakeInvocation(
    string RequestId,
    string Payload,
    long DeadlineMs,
    string InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:IngestFunction",
    string? TraceId = null,
    string? ClientContext = null,
    string? CognitoIdentity = null)
{
    public static FakeInvocation Create(string payload, TimeSpan? timeLeft = null, string? traceId = null) => new(
        Guid.NewGuid().ToString(),
        payload,
        DateTimeOffset.UtcNow.Add(timeLeft ?? TimeSpan.FromMinutes(5)).ToUnixTimeMilliseconds(),
        TraceId: traceId);
}

/// <summary>A request the runtime made, as the fake received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, long Timestamp)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// The Lambda Runtime API on a free loopback port (HttpListener): hands out queued invocations on /next, records every
/// request, answers 202. Once the queue is drained, /next answers 500 ("container error"), which must end the runtime.
/// </summary>
internal sealed class FakeRuntimeApi : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime/";

    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<FakeInvocation> _invocations = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Task _serving;

    private FakeRuntimeApi(HttpListener listener, int port)
    {
        _listener = listener;
        Port = port;
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The value for AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Status for POST /invocation/{id}/response, by request id; 202 when absent.</summary>
    public ConcurrentDictionary<string, HttpStatusCode> ResponseStatus { get; } = new();

    /// <summary>Status for every POST /invocation/{id}/error; 202 by default.</summary>
    public HttpStatusCode ErrorStatus { get; set; } = HttpStatusCode.Accepted;

    /// <summary>Status for /next once the queue is empty.</summary>
    public HttpStatusCode DrainedNextStatus { get; set; } = HttpStatusCode.InternalServerError;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static FakeRuntimeApi Start()
    {
        // Find a free port, then bind HttpListener to it; retry in the rare case another process took it meanwhile.
        for (var attempt = 0; ; attempt++)
        {
            var port = LocalMachine.FreeLoopbackPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeRuntimeApi(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public FakeRuntimeApi Enqueue(params FakeInvocation[] invocations)
    {
        foreach (var invocation in invocations)
            _invocations.Enqueue(invocation);
        return this;
    }

    public IReadOnlyList<RecordedRequest> RequestsTo(string pathSuffix)
        => [.. _requests.Where(r => r.Path.EndsWith(pathSuffix, StringComparison.Ordinal))];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            try
            {
                await HandleAsync(context);
            }
            catch (HttpListenerException)
            {
                // the runtime went away mid-request (killed or exited): nothing to answer
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
            body = await reader.ReadToEndAsync();
        var headers = request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
        var path = request.Url!.AbsolutePath;
        _requests.Enqueue(new RecordedRequest(request.HttpMethod, path, headers, body, Stopwatch.GetTimestamp()));

        var response = context.Response;
        if (request.HttpMethod == "GET" && path == Prefix + "invocation/next")
        {
            if (_invocations.TryDequeue(out var invocation))
            {
                response.StatusCode = 200;
                response.ContentType = "application/json";
                response.Headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
                response.Headers["Lambda-Runtime-Deadline-Ms"] = invocation.DeadlineMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
                response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = invocation.InvokedFunctionArn;
                if (invocation.TraceId is not null)
                    response.Headers["Lambda-Runtime-Trace-Id"] = invocation.TraceId;
                if (invocation.ClientContext is not null)
                    response.Headers["Lambda-Runtime-Client-Context"] = invocation.ClientContext;
                if (invocation.CognitoIdentity is not null)
                    response.Headers["Lambda-Runtime-Cognito-Identity"] = invocation.CognitoIdentity;
                await WriteAsync(response, invocation.Payload);
            }
            else
            {
                response.StatusCode = (int)DrainedNextStatus;
                await WriteAsync(response, """{"errorMessage":"no more invocations","errorType":"ContainerError"}""");
            }
            return;
        }

        if (request.HttpMethod == "POST" && path.StartsWith(Prefix + "invocation/", StringComparison.Ordinal) && path.EndsWith("/response", StringComparison.Ordinal))
        {
            var requestId = path[(Prefix + "invocation/").Length..^"/response".Length];
            var status = ResponseStatus.TryGetValue(requestId, out var s) ? s : HttpStatusCode.Accepted;
            response.StatusCode = (int)status;
            await WriteAsync(response, status == HttpStatusCode.Accepted ? """{"status":"OK"}""" : $$"""{"errorMessage":"status {{(int)status}}","errorType":"RequestEntityTooLarge"}""");
            return;
        }

        if (request.HttpMethod == "POST" && path.StartsWith(Prefix + "invocation/", StringComparison.Ordinal) && path.EndsWith("/error", StringComparison.Ordinal))
        {
            response.StatusCode = (int)ErrorStatus;
            await WriteAsync(response, """{"status":"OK"}""");
            return;
        }

        if (request.HttpMethod == "POST" && path == Prefix + "init/error")
        {
            response.StatusCode = 202;
            await WriteAsync(response, """{"status":"OK"}""");
            return;
        }

        response.StatusCode = 404;
        await WriteAsync(response, """{"errorMessage":"unknown path"}""");
    }

    private static async Task WriteAsync(HttpListenerResponse response, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop() then Close() makes the managed HttpListener look the port up again and re-bind it,
        // which fails ("Address already in use") when another process has taken the port meanwhile.
        _listener.Close();
        await _serving;
    }
}
