using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using IngestLambda.Observability;

namespace IngestLambda.Host.Runtime;

/// <summary>
/// The Lambda Runtime API, version 2018-06-01 (docs: "Using the Lambda runtime API for custom runtimes").
/// Every call throws <see cref="RuntimeApiException"/> on a non-2xx status so the loop decides what it means.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private static readonly MediaTypeHeaderValue ErrorMediaType = new(ErrorReport.ContentType);

    private static readonly long MaxUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly LambdaEnvironment _environment;

    /// <param name="runtimeApi">host:port from AWS_LAMBDA_RUNTIME_API.</param>
    public RuntimeApiClient(string runtimeApi, LambdaEnvironment? environment = null)
        : this(CreateHttpClient(), new Uri($"http://{runtimeApi}/2018-06-01/"), environment, ownsHttp: true)
    {
    }

    /// <summary>Test seam: any HttpClient; the base address must end with <c>/2018-06-01/</c>.</summary>
    public RuntimeApiClient(HttpClient http, Uri baseAddress, LambdaEnvironment? environment = null, bool ownsHttp = false)
    {
        _http = http;
        _http.BaseAddress = baseAddress;
        _ownsHttp = ownsHttp;
        _environment = environment ?? LambdaEnvironment.FromEnvironment();
    }

    /// <summary>
    /// No proxy (HTTP_PROXY must not capture the local Runtime API) and no timeout: /next blocks until an event
    /// arrives, and the environment may be frozen in between.
    /// </summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler { UseProxy = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<InvocationRequest> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("runtime/invocation/next", HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, "GET runtime/invocation/next", cancellationToken).ConfigureAwait(false);

        var headers = response.Headers;
        var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id");
        if (string.IsNullOrEmpty(requestId))
            throw new InvalidOperationException("The Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id.");
        // Without a deadline header (never sent by Lambda) treat the time as unbounded rather than already expired.
        var deadlineMs = long.TryParse(Header(headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? Math.Min(ms, MaxUnixMs)
            : MaxUnixMs;
        var context = new LambdaContext(
            requestId,
            deadlineMs,
            Header(headers, "Lambda-Runtime-Invoked-Function-Arn") ?? "",
            Header(headers, "Lambda-Runtime-Trace-Id"),
            Header(headers, "Lambda-Runtime-Client-Context"),
            Header(headers, "Lambda-Runtime-Cognito-Identity"),
            _environment);

        // The payload is at most 6 MB and already read; copy it out so the response can be disposed.
        var payload = new MemoryStream();
        await response.Content.CopyToAsync(payload, cancellationToken).ConfigureAwait(false);
        payload.Position = 0;
        return new InvocationRequest(payload, context);
    }

    public async Task SendResponseAsync(string awsRequestId, Stream output, CancellationToken cancellationToken)
    {
        // Send a Content-Length rather than a chunked body: buffer the (at most 6 MB) result if its length is unknown.
        if (!output.CanSeek)
        {
            var buffered = new MemoryStream();
            await output.CopyToAsync(buffered, cancellationToken).ConfigureAwait(false);
            buffered.Position = 0;
            output = buffered;
        }
        using var content = new StreamContent(output);
        content.Headers.ContentType = JsonMediaType;
        using var response = await _http.PostAsync($"runtime/invocation/{awsRequestId}/response", content, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"POST runtime/invocation/{awsRequestId}/response", cancellationToken).ConfigureAwait(false);
    }

    /// <param name="xrayCause">The X-Ray error cause (<see cref="ErrorReport.ToXRayCause"/>) when tracing is on, else null.</param>
    public Task ReportInvocationErrorAsync(string awsRequestId, ErrorReport error, string? xrayCause, CancellationToken cancellationToken)
        => PostErrorAsync($"runtime/invocation/{awsRequestId}/error", error, xrayCause, cancellationToken);

    public Task ReportInitializationErrorAsync(ErrorReport error, CancellationToken cancellationToken)
        => PostErrorAsync("runtime/init/error", error, xrayCause: null, cancellationToken);

    /// <summary>As RuntimeSupport posts errors: its content type, the error type header, the body capped at 256 KB.</summary>
    private async Task PostErrorAsync(string path, ErrorReport error, string? xrayCause, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(error.ToJson());
        content.Headers.ContentType = ErrorMediaType;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, error.ErrorType);
        if (xrayCause is not null)
            request.Headers.TryAddWithoutValidation(ErrorReport.XRayCauseHeader, xrayCause);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"POST {path}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new RuntimeApiException(response.StatusCode, $"{call} returned {(int)response.StatusCode}: {body}");
    }

    private static string? Header(HttpResponseHeaders headers, string name)
        => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }
}

/// <summary>The Runtime API answered with a non-2xx status.</summary>
internal sealed class RuntimeApiException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}
