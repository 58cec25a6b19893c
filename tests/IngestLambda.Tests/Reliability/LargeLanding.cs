using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3.Model;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// The large landing object that the Large tests share, a collection fixture of <see cref="NativePublishGroup"/>:
/// its own moto_server, started and filled by the first <see cref="GetAsync"/>, so the upload (minutes into
/// moto_server) is paid once per run, and not at all when no Large test runs. A test that uses it leaves the lake as
/// it found it, holding just that object (<see cref="TestLake.ResetAsync"/>).
/// </summary>
public sealed class LargeLanding : IAsyncLifetime
{
    public const string Key = "landing/big/movies-large.csv";

    /// <summary>
    /// 320 MiB by default: 2.5 times the 128 MB the function may use, so a read that buffered the object would fail,
    /// while moto_server (Python) stores and copies it in seconds rather than the ten minutes 2 GiB takes on a 2-core
    /// machine. <c>make test-large</c> sets LARGE_TEST_BYTES to 2^31 + 1 to cross the 32-bit offset boundary too.
    /// </summary>
    public static long TargetBytes { get; } =
        long.TryParse(Environment.GetEnvironmentVariable("LARGE_TEST_BYTES"), out var bytes) && bytes > 0 ? bytes : 320L * 1024 * 1024;
    private const int UploadPartBytes = 64 * 1024 * 1024;

    private readonly MotoServer _moto = new();
    private readonly Lazy<Task<LargeObject>> _object;

    public LargeLanding() => _object = new(UploadAsync);

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The object (uploaded by the first call; a failed upload fails every later call too), with an empty function log.</summary>
    internal async Task<LargeObject> GetAsync()
    {
        var large = await _object.Value;
        large.Lake.Log.GetStringBuilder().Clear();
        return large;
    }

    /// <summary>Stops moto_server, which frees the object with it (deleting it first would cost a copy of it: see ResetAsync).</summary>
    public async Task DisposeAsync()
    {
        if (_object.IsValueCreated && _object.Value.IsCompletedSuccessfully)
            (await _object.Value).Lake.Dispose();
        await _moto.DisposeAsync();
    }

    /// <summary>
    /// The movies header, then the sample's rows over and over until <see cref="TargetBytes"/>, generated and hashed
    /// as it is sent in 64 MiB parts of a multipart upload: never whole in the test's memory or on disk.
    /// </summary>
    private async Task<LargeObject> UploadAsync()
    {
        await _moto.InitializeAsync();
        var lake = await TestLake.CreateAsync(_moto);
        var clock = Stopwatch.StartNew();
        var text = Encoding.UTF8.GetString(TestFiles.Movies);
        var header = Encoding.UTF8.GetBytes(text[..(text.IndexOf('\n') + 1)]);
        var block = Encoding.UTF8.GetBytes(text[header.Length..].TrimEnd('\n') + "\n");
        var blockRows = block.Count(b => b == (byte)'\n');
        var blocks = (TargetBytes - header.Length + block.Length - 1) / block.Length;
        var size = header.Length + blocks * block.Length;

        using var source = new RepeatingStream(header, block, blocks);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var init = await lake.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = lake.Bucket, Key = Key, ContentType = "text/csv" });
        var buffer = new byte[UploadPartBytes];
        var etags = new List<PartETag>();
        for (var partNumber = 1; ; partNumber++)
        {
            var filled = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
            if (filled == 0)
                break;
            hash.AppendData(buffer, 0, filled);
            var part = await lake.S3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = lake.Bucket, Key = Key, UploadId = init.UploadId, PartNumber = partNumber,
                InputStream = new MemoryStream(buffer, 0, filled, writable: false),
            });
            etags.Add(new PartETag(partNumber, part.ETag));
        }
        await lake.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = lake.Bucket, Key = Key, UploadId = init.UploadId, PartETags = etags });
        var head = await lake.HeadAsync(Key);
        Assert.Equal(size, head.ContentLength);
        var landed = new PutObjectResponse { ETag = head.ETag, VersionId = head.VersionId };
        return new LargeObject(lake, _moto.Endpoint, landed, size, blocks * blockRows, Convert.ToHexStringLower(hash.GetHashAndReset()),
            $"{UploadPartBytes / 1024 / 1024} MiB parts", clock.Elapsed);
    }

    /// <summary>header + block × count, produced as it is read.</summary>
    private sealed class RepeatingStream(byte[] header, byte[] block, long count) : Stream
    {
        private long _position;
        private readonly long _length = header.Length + block.Length * count;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> destination)
        {
            var written = 0;
            while (written < destination.Length && _position < _length)
            {
                ReadOnlySpan<byte> from = _position < header.Length
                    ? header.AsSpan((int)_position)
                    : block.AsSpan((int)((_position - header.Length) % block.Length));
                var n = Math.Min(from.Length, destination.Length - written);
                from[..n].CopyTo(destination[written..]);
                written += n;
                _position += n;
            }
            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// The shared large object: its lake (on the fixture's moto_server at <paramref name="Endpoint"/>), the version as it
/// landed, and what it holds, known from the bytes sent: size, rows and SHA-256.
/// </summary>
internal sealed record LargeObject(TestLake Lake, Uri Endpoint, PutObjectResponse Landed, long Size, long Rows, string Sha256,
    string UploadParts, TimeSpan UploadTime);
