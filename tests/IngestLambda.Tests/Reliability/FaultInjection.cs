using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;

namespace IngestLambda.Tests.Reliability;

/// <summary>The S3 operations the function uses, told apart by method, query and headers as S3 itself does.</summary>
public enum S3Operation
{
    Other,
    GetObject,
    GetObjectAttributes,
    HeadObject,
    PutObject,
    CopyObject,
    CreateMultipartUpload,
    UploadPartCopy,
    CompleteMultipartUpload,
    AbortMultipartUpload,
    DeleteObject,
}

/// <summary>One fault: which requests it hits, how often, and what it does instead of (or to) S3's answer.</summary>
internal sealed class Fault
{
    private int _remaining;

    private Fault(S3Operation operation, int times, Func<HttpRequestMessage, bool>? when)
    {
        Operation = operation;
        _remaining = times;
        When = when ?? (_ => true);
    }

    public S3Operation Operation { get; }
    private Func<HttpRequestMessage, bool> When { get; }
    /// <summary>S3's error status and code, answered without passing the request on (S3 refused it).</summary>
    public (HttpStatusCode Status, string Code)? Error { get; private init; }
    /// <summary>With <see cref="Error"/>: pass the request on first, so S3 acts, and lose its answer.</summary>
    public bool AfterS3Acted { get; private init; }
    /// <summary>Pass the request on, then break the response body after this many bytes with a connection reset.</summary>
    public long? ResetAfterBytes { get; private init; }
    /// <summary>Pass the request on, then end the response body cleanly after this many bytes (fewer than announced).</summary>
    public long? TruncateAfterBytes { get; private init; }
    /// <summary>Pass the request on, then add this many bytes after the end of the response body (more than announced).</summary>
    public int? ExtendByBytes { get; private init; }
    /// <summary>Wait this long before passing the request on.</summary>
    public TimeSpan Delay { get; private init; }
    /// <summary>Hold the request until this task completes, then pass it on (a run paused at a chosen step).</summary>
    public Task? HoldUntil { get; private init; }
    /// <summary>Deliver the response body in small reads with this pause between them.</summary>
    public TimeSpan TricklePause { get; private init; }
    /// <summary>Pass the request on, then invert the bits of the body's byte at this offset: same length, other bytes.</summary>
    public long? FlipByteAt { get; private init; }
    /// <summary>Pass the request on, then add these headers to S3's answer (as recorded from S3, which moto leaves out).</summary>
    public IReadOnlyList<(string Name, string Value)> AddedHeaders { get; private init; } = [];
    /// <summary>Pass the request on, then answer with this body instead of S3's (a recorded S3 answer moto cannot give).</summary>
    public Func<HttpRequestMessage, string>? ReplacedBody { get; private init; }
    public int Hits;

    public static Fault S3Error(S3Operation operation, HttpStatusCode status, string code, int times = 1, Func<HttpRequestMessage, bool>? when = null) =>
        new(operation, times, when) { Error = (status, code) };

    /// <summary>S3 does the work, but its answer is lost and the client sees an error instead (a dropped response).</summary>
    public static Fault LoseResponse(S3Operation operation, HttpStatusCode status, string code, int times = 1) =>
        new(operation, times, null) { Error = (status, code), AfterS3Acted = true };

    public static Fault ResetBody(S3Operation operation, long afterBytes, int times = int.MaxValue, Func<HttpRequestMessage, bool>? when = null) =>
        new(operation, times, when) { ResetAfterBytes = afterBytes };

    public static Fault TruncateBody(S3Operation operation, long afterBytes, int times = int.MaxValue, Func<HttpRequestMessage, bool>? when = null) =>
        new(operation, times, when) { TruncateAfterBytes = afterBytes };

    /// <summary>A body that goes on past its end: <paramref name="extraBytes"/> more bytes than S3 sent.</summary>
    public static Fault ExtendBody(S3Operation operation, int extraBytes, int times = int.MaxValue, Func<HttpRequestMessage, bool>? when = null) =>
        new(operation, times, when) { ExtendByBytes = extraBytes };

    /// <summary>For <c>when</c>: a GET of a byte range starting at <paramref name="start"/> (<c>Range: bytes=start-…</c>).</summary>
    public static Func<HttpRequestMessage, bool> RangeFrom(long start) =>
        request => request.Headers.TryGetValues("Range", out var values) && values.Any(v => v.StartsWith($"bytes={start}-", StringComparison.Ordinal));

    /// <summary>For <c>when</c>: a GET of a byte range (not of the whole object).</summary>
    public static bool IsRange(HttpRequestMessage request) => request.Headers.Contains("Range");

    /// <summary>A body corrupted in transit: the right length, one byte wrong.</summary>
    public static Fault FlipByte(S3Operation operation, long at, int times = 1) =>
        new(operation, times, null) { FlipByteAt = at };

    /// <summary>S3's answer with headers moto does not send, as S3 documents and sends them.</summary>
    public static Fault AddHeaders(S3Operation operation, params (string Name, string Value)[] headers) =>
        new(operation, int.MaxValue, null) { AddedHeaders = headers };

    /// <summary>S3's answer with the body <paramref name="body"/> gives for the request, as S3 documents it, where moto answers less.</summary>
    public static Fault ReplaceBody(S3Operation operation, Func<HttpRequestMessage, string> body) =>
        new(operation, int.MaxValue, null) { ReplacedBody = body };

    public static Fault Slow(S3Operation operation, TimeSpan delay, TimeSpan tricklePause = default, int times = int.MaxValue) =>
        new(operation, times, null) { Delay = delay, TricklePause = tricklePause };

    /// <summary>Holds the matching requests until <paramref name="release"/> completes; <see cref="Hits"/> says one is waiting.</summary>
    public static Fault Hold(S3Operation operation, Task release, int times = 1, Func<HttpRequestMessage, bool>? when = null) =>
        new(operation, times, when) { HoldUntil = release };

    /// <summary>Takes one use of this fault if it applies to the request.</summary>
    public bool TryTake(S3Operation operation, HttpRequestMessage request)
    {
        if (operation != Operation || !When(request))
            return false;
        if (Interlocked.Decrement(ref _remaining) < 0)
        {
            Interlocked.Increment(ref _remaining);
            return false;
        }
        Interlocked.Increment(ref Hits);
        return true;
    }
}

/// <summary>
/// Sits between the AWS SDK and the real S3 endpoint (moto_server) inside the function's S3 client, the place a flaky
/// network or an overloaded S3 front end would act. Records every request so tests can see the SDK's retries.
/// </summary>
internal sealed class FaultInjector
{
    private readonly List<Fault> _faults = [];

    public ConcurrentQueue<(S3Operation Operation, string Path)> Requests { get; } = new();

    /// <summary>The x-amz-* headers of every request, as "name: value" lines, in order.</summary>
    public ConcurrentQueue<(S3Operation Operation, string AmzHeaders)> RequestHeaders { get; } = new();

    /// <summary>How each request that reached S3 ended: its HTTP status, or the exception that ended it.</summary>
    public ConcurrentQueue<(S3Operation Operation, int? Status, string? Exception)> Outcomes { get; } = new();

    public FaultInjector Add(Fault fault)
    {
        lock (_faults)
            _faults.Add(fault);
        return this;
    }

    public void Clear()
    {
        lock (_faults)
            _faults.Clear();
    }

    public int Count(S3Operation operation) => Requests.Count(r => r.Operation == operation);

    public HttpClientFactory HttpClientFactory => new Factory(this);

    internal Fault? Take(S3Operation operation, HttpRequestMessage request)
    {
        lock (_faults)
            return _faults.FirstOrDefault(f => f.TryTake(operation, request));
    }

    public static S3Operation Classify(HttpRequestMessage request)
    {
        var query = request.RequestUri?.Query ?? "";
        bool Has(string name) => query.Contains($"?{name}", StringComparison.Ordinal) || query.Contains($"&{name}", StringComparison.Ordinal);
        var copy = request.Headers.Contains("x-amz-copy-source");
        // Path style: /bucket/key; a bucket-level request has no second segment.
        var segments = (request.RequestUri?.AbsolutePath ?? "/").Trim('/').Split('/', 2);
        var objectLevel = segments.Length == 2 && segments[1].Length > 0;
        if (!objectLevel)
            return S3Operation.Other;
        return request.Method.Method switch
        {
            "GET" when Has("attributes") => S3Operation.GetObjectAttributes,
            "GET" when !Has("uploadId") && !Has("tagging") && !Has("acl") => S3Operation.GetObject,
            "HEAD" => S3Operation.HeadObject,
            "PUT" when copy && Has("partNumber") => S3Operation.UploadPartCopy,
            "PUT" when copy => S3Operation.CopyObject,
            "PUT" when !Has("partNumber") && !Has("tagging") && !Has("acl") => S3Operation.PutObject,
            "POST" when Has("uploads") => S3Operation.CreateMultipartUpload,
            "POST" when Has("uploadId") => S3Operation.CompleteMultipartUpload,
            "DELETE" when Has("uploadId") => S3Operation.AbortMultipartUpload,
            "DELETE" => S3Operation.DeleteObject,
            _ => S3Operation.Other,
        };
    }

    private sealed class Factory(FaultInjector injector) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            var sockets = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None };
            return new HttpClient(new Handler(injector) { InnerHandler = sockets }) { Timeout = clientConfig.Timeout ?? TimeSpan.FromMinutes(15) };
        }

        public override string? GetConfigUniqueString(IClientConfig clientConfig) => null;
    }

    private sealed class Handler(FaultInjector injector) : DelegatingHandler
    {
        /// <summary>
        /// S3 applies a conditional PUT (If-None-Match / If-Match) atomically; moto_server checks the condition and then
        /// stores in two steps on its request threads, so two racing claims can both win there. The tests of racing
        /// runs are about our claims given S3's semantics, so conditional PUTs through the injector go to moto one
        /// at a time, across every injector of the process.
        /// </summary>
        private static readonly SemaphoreSlim ConditionalPuts = new(1, 1);

        private async Task<HttpResponseMessage> SendAtomicallyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Put || !(request.Headers.Contains("If-None-Match") || request.Headers.Contains("If-Match")))
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await ConditionalPuts.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ConditionalPuts.Release();
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var operation = Classify(request);
            injector.Requests.Enqueue((operation, request.RequestUri?.AbsolutePath ?? ""));
            injector.RequestHeaders.Enqueue((operation, string.Join("\n", request.Headers
                .Where(h => h.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
                .Select(h => $"{h.Key.ToLowerInvariant()}: {string.Join(",", h.Value)}"))));
            var fault = injector.Take(operation, request);
            if (fault?.Error is { } error)
            {
                if (fault.AfterS3Acted)
                    (await base.SendAsync(request, cancellationToken).ConfigureAwait(false)).Dispose();
                return ErrorResponse(request, error.Status, error.Code);
            }
            if (fault is not null && fault.Delay > TimeSpan.Zero)
                await Task.Delay(fault.Delay, cancellationToken).ConfigureAwait(false);
            if (fault?.HoldUntil is { } release)
                await release.WaitAsync(cancellationToken).ConfigureAwait(false);

            HttpResponseMessage response;
            try
            {
                response = await SendAtomicallyAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                injector.Outcomes.Enqueue((operation, null, ex.GetType().Name + ": " + ex.Message));
                throw;
            }
            injector.Outcomes.Enqueue((operation, (int)response.StatusCode, null));
            foreach (var (name, value) in fault?.AddedHeaders ?? [])
                response.Headers.TryAddWithoutValidation(name, value);
            if (fault?.ReplacedBody is { } replaced)
            {
                response.Content.Dispose();
                response.Content = new StringContent(replaced(request), Encoding.UTF8, "application/xml");
                return response;
            }
            if (fault is null || (fault.ResetAfterBytes is null && fault.TruncateAfterBytes is null && fault.ExtendByBytes is null && fault.FlipByteAt is null
                && fault.TricklePause == TimeSpan.Zero))
                return response;

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var broken = new StreamContent(new FaultyStream(body, fault.ResetAfterBytes, fault.TruncateAfterBytes, fault.TricklePause, fault.ExtendByBytes ?? 0, fault.FlipByteAt));
            foreach (var header in response.Content.Headers)
                broken.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Content = broken;
            return response;
        }

        private static HttpResponseMessage ErrorResponse(HttpRequestMessage request, HttpStatusCode status, string code) => new(status)
        {
            RequestMessage = request,
            Content = new StringContent(
                $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>injected {code}</Message>"
                + "<RequestId>FAULT0000000000</RequestId><HostId>fault-injector</HostId></Error>",
                Encoding.UTF8, "application/xml"),
        };
    }

    /// <summary>A response body that fails the way a dropped connection does, ends early or late, arrives slowly or arrives corrupted.</summary>
    private sealed class FaultyStream(Stream inner, long? resetAfter, long? truncateAfter, TimeSpan tricklePause, int extraBytes, long? flipAt) : Stream
    {
        private long _position;
        private int _extraLeft = extraBytes;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (tricklePause > TimeSpan.Zero)
            {
                await Task.Delay(tricklePause, cancellationToken).ConfigureAwait(false);
                buffer = buffer[..Math.Min(buffer.Length, 16 * 1024)];
            }
            var limit = resetAfter ?? truncateAfter;
            if (limit is { } l)
            {
                if (_position >= l)
                {
                    if (resetAfter is not null)
                        throw new IOException("Unable to read data from the transport connection: Connection reset by peer.", new SocketException((int)SocketError.ConnectionReset));
                    return 0;
                }
                buffer = buffer[..(int)Math.Min(buffer.Length, l - _position)];
            }
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (flipAt is { } at && at >= _position && at < _position + read)
                buffer.Span[(int)(at - _position)] ^= 0xFF;
            if (read == 0 && _extraLeft > 0 && !buffer.IsEmpty)
            {
                read = Math.Min(buffer.Length, _extraLeft);
                buffer.Span[..read].Fill((byte)'x');
                _extraLeft -= read;
            }
            _position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
