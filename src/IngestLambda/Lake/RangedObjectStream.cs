using System.Buffers;
using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Configuration;

namespace IngestLambda.Lake;

/// <summary>
/// A big object read as parallel byte-range GETs and handed to one reader in order (docs/contracts.md
/// "Configuration", RANGED_READ_*): one S3 connection is limited in speed, several arrive faster. The first, plain GET
/// says the object's real size and version; range 0 comes from its body, the others from range GETs pinned to that
/// version (VersionId, else If-Match on its ETag). At most RANGED_READ_CONCURRENCY ranges are in flight or waiting to
/// be read, each in a pooled buffer of RANGED_READ_PART_BYTES: that is the memory a read holds. The pool is this
/// shape's own (at most RANGED_READ_CONCURRENCY buffers of a size, no per-thread caches): the shared pool keeps one
/// buffer per thread besides, which under a small function's heap limit and a busy thread pool ran out of memory.
/// <para>
/// A range that fails (a reset connection, an S3 5xx, fewer or more bytes than asked) is fetched again alone, up to
/// <see cref="IngestConfig.RangedReadAttempts"/> times with a doubling pause; the reader sees its bytes only once
/// they are all there. A range that answers 412 or another ETag means the object changed during the read: the
/// exception reaches the reader (<see cref="SourceGone"/>: superseded). Cancelling the token given at the start (the
/// invocation's deadline) cancels every range in flight.
/// </para>
/// </summary>
internal sealed partial class RangedObjectStream : Stream
{
    private readonly IAmazonS3 _s3;
    private readonly IngestConfig _config;
    private readonly TimeProvider _time;
    private readonly RangePin _pin;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationToken _token;
    private readonly ArrayPool<byte> _buffers;
    private static readonly ConcurrentDictionary<(long PartBytes, int Concurrency), ArrayPool<byte>> Pools = new();
    /// <summary>The ranges started and not yet read, in object order.</summary>
    private readonly Queue<Task<RangeBuffer>> _ranges = new();
    private long _nextRangeStart;
    private RangeBuffer? _current;
    private int _currentOffset;
    private long _position;
    private bool _disposed;

    private RangedObjectStream(IAmazonS3 s3, IngestConfig config, RangePin pin, Stream firstBody, TimeProvider time, CancellationToken cancellationToken)
    {
        (_s3, _config, _pin, _time) = (s3, config, pin, time);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _token = _stop.Token;
        _buffers = Pools.GetOrAdd((config.RangedReadPartBytes, config.RangedReadConcurrency),
            static shape => ArrayPool<byte>.Create((int)shape.PartBytes, shape.Concurrency));
        StartNextRange(firstBody);
        for (var i = 1; i < config.RangedReadConcurrency; i++)
            StartNextRange(firstBody: null);
    }

    /// <summary>
    /// The stream to validate for the answer to a plain GET: its own body below RANGED_READ_THRESHOLD_BYTES, else a
    /// ranged read of the version it served (the event's size is only a hint; S3's Content-Length decides).
    /// </summary>
    public static Stream Open(IAmazonS3 s3, IngestConfig config, GetObjectRequest get, GetObjectResponse response,
        CancellationToken cancellationToken, TimeProvider? time = null)
    {
        if (response.ContentLength < config.RangedReadThresholdBytes)
            return response.ResponseStream;
        var versionId = get.VersionId ?? S3Versions.RealVersionId(response.VersionId);
        var pin = new RangePin(get.BucketName, get.Key, versionId, S3Versions.Unquote(response.ETag), response.ContentLength);
        return new RangedObjectStream(s3, config, pin, response.ResponseStream, time ?? TimeProvider.System, cancellationToken);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _pin.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || _position == _pin.Length)
            return 0;
        if (_current is null)
        {
            // In order: the next range's bytes, once all of them arrived (or its failure, after its retries).
            _current = await _ranges.Peek().WaitAsync(cancellationToken).ConfigureAwait(false);
            _ = _ranges.Dequeue();
            _currentOffset = 0;
        }
        var count = Math.Min(buffer.Length, _current.Length - _currentOffset);
        _current.Bytes.AsMemory(_currentOffset, count).CopyTo(buffer);
        _currentOffset += count;
        _position += count;
        if (_currentOffset == _current.Length)
        {
            _buffers.Return(_current.Bytes);
            _current = null;
            StartNextRange(firstBody: null); // its buffer is free: the window moves on
        }
        return count;
    }

    private void StartNextRange(Stream? firstBody)
    {
        if (_nextRangeStart >= _pin.Length)
            return;
        var length = (int)Math.Min(_config.RangedReadPartBytes, _pin.Length - _nextRangeStart);
        _ranges.Enqueue(FetchAsync(_nextRangeStart, length, firstBody));
        _nextRangeStart += length;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Cancels the ranges in flight; each gives its buffer back to the pool when it ends.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stop.Cancel();
            if (_current is not null)
                _buffers.Return(_current.Bytes);
            _current = null;
            var pending = _ranges.ToArray();
            _ranges.Clear();
            foreach (var range in pending)
            {
                _ = range.ContinueWith(static (t, pool) =>
                {
                    if (t.IsCompletedSuccessfully)
                        ((ArrayPool<byte>)pool!).Return(t.Result.Bytes);
                    _ = t.Exception; // observed: the read already failed or was abandoned
                }, _buffers, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            var stop = _stop;
            _ = Task.WhenAll(pending).ContinueWith(_ => stop.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        base.Dispose(disposing);
    }

    /// <summary>The version every range is pinned to, and its size.</summary>
    private sealed record RangePin(string Bucket, string Key, string? VersionId, string ETag, long Length);

    /// <summary>A whole range in a pooled buffer (longer than <see cref="Length"/>: the pool rounds up).</summary>
    private sealed record RangeBuffer(byte[] Bytes, int Length);
}
