using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using IngestLambda.Configuration;
using IngestLambda.Lake;

namespace IngestLambda.Notifications;

/// <summary>
/// A small EventBridge client: PutEvents over the JSON 1.1 protocol, signed with SigV4. The SDK's EventBridge
/// package is not used because it is not served here; credentials still come from the SDK's standard chain
/// (Lambda's environment, a profile, instance metadata) and the endpoint from the same rule as S3's
/// (<see cref="S3ClientFactory.ServiceEndpoint"/>: AWS_ENDPOINT_URL_EVENTS or AWS_ENDPOINT_URL, else
/// <c>events.REGION.amazonaws.com</c>).
/// </summary>
internal sealed class EventBridgeClient : IDisposable
{
    private const string Service = "events";
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.1");

    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly string _region;
    private AWSCredentials? _credentials;
    private readonly TimeProvider _time;

    /// <param name="credentials">Null: the SDK's default chain, resolved at the first call (so a start-up without credentials still starts).</param>
    public EventBridgeClient(Uri url, string signingRegion, AWSCredentials? credentials, TimeSpan timeout, TimeProvider? time = null)
    {
        (_url, _region, _credentials, _time) = (url, signingRegion, credentials, time ?? TimeProvider.System);
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = timeout };
    }

    public Uri Url => _url;

    public static EventBridgeClient Create(IngestConfig config, AWSCredentials? credentials = null)
    {
        var (url, region) = S3ClientFactory.ServiceEndpoint(Service, config.EventsEndpoint, config.Region);
        return new EventBridgeClient(url, region, credentials, config.SmallRequestTimeout);
    }

    /// <summary>Sends the events; the answer says, entry by entry, which EventBridge did not take.</summary>
    public async Task<PutEventsResponse> PutEventsAsync(IReadOnlyList<PutEventsEntry> entries, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new PutEventsRequest(entries), EventBridgeJsonContext.Default.PutEventsRequest);
        var answer = await CallAsync("AWSEvents.PutEvents", body, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(answer, EventBridgeJsonContext.Default.PutEventsResponse)
            ?? throw new EventBridgeException("PutEvents answered null.");
    }

    /// <summary>
    /// One signed JSON 1.1 call, <paramref name="target"/> as <c>X-Amz-Target</c> (e.g. <c>AWSEvents.PutRule</c>;
    /// the tests set up rules with it). Throws <see cref="EventBridgeException"/> for an error answer.
    /// </summary>
    public async Task<byte[]> CallAsync(string target, byte[] body, CancellationToken cancellationToken)
    {
        _credentials ??= DefaultAWSCredentialsIdentityResolver.GetCredentials();
        var credentials = await _credentials.GetCredentialsAsync().ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Host"] = _url.IsDefaultPort ? _url.Host : $"{_url.Host}:{_url.Port}",
            ["Content-Type"] = JsonContentType.MediaType!,
            ["X-Amz-Target"] = target,
        };
        SigV4.Sign("POST", _url.AbsolutePath, headers, body, credentials, _region, Service, _time.GetUtcNow());

        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = JsonContentType;
        foreach (var (name, value) in headers)
        {
            if (name is not ("Host" or "Content-Type"))
                request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new EventBridgeException($"{target} answered HTTP {(int)response.StatusCode}: {Describe(answer)}");
        return answer;
    }

    private static string Describe(byte[] answer)
    {
        try
        {
            if (JsonSerializer.Deserialize(answer, EventBridgeJsonContext.Default.AwsJsonError) is { } error)
                return $"{error.Type?.Split('#')[^1] ?? "error"}: {error.Message}";
        }
        catch (JsonException)
        {
            // Not a JSON error body (a proxy's page): quote its start instead.
        }
        var text = System.Text.Encoding.UTF8.GetString(answer);
        return text.Length > 200 ? text[..200] + "…" : text;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>EventBridge answered an error, or an answer that cannot be read.</summary>
internal sealed class EventBridgeException(string message) : Exception(message);
