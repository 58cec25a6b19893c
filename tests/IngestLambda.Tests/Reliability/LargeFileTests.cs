using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using IngestLambda.Ingestion;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Ingestion;
using IngestLambda.Tests.Runtime;
using IngestLambda.Tests.Template;
using Xunit.Abstractions;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// A 2 GiB file through moto_server and the published bootstrap at 128 MB: streamed validation, then a multipart
/// server-side copy (UploadPartCopy). The file is generated on the fly and uploaded as a multipart upload, hashed
/// while it is sent; it is never whole in the test's memory or on disk.
/// </summary>
[Collection(NativePublishGroup.Name)] // runs the published bootstrap, which this collection keeps fresh
[Trait("Category", "Large")]
public sealed class LargeFileTests(MotoServer moto, ITestOutputHelper output) : IClassFixture<MotoServer>
{
    private const long TargetBytes = 2L * 1024 * 1024 * 1024;
    private const int UploadPartBytes = 64 * 1024 * 1024;
    private const string Key = "landing/big/movies-2gib.csv";

    [Fact]
    public async Task A_2_GiB_file_is_accepted_and_copied_in_parts_byte_identical_within_128_MB()
    {
        _ = BootstrapProcess.Path;
        using var lake = await TestLake.CreateAsync(moto);
        try
        {
            var upload = Stopwatch.StartNew();
            var (size, rows, sha256, landed) = await UploadAsync(lake);
            upload.Stop();

            await using var api = FakeRuntimeApi.Start();
            api.Enqueue(FakeInvocation.Create(EventJson.S3Event(lake.Bucket, Key, landed.ETag, landed.VersionId, size), TimeSpan.FromMinutes(15)));
            var exit = await BootstrapProcess.RunAsync(api.Address, moto.Endpoint, TimeSpan.FromMinutes(10), new Dictionary<string, string>
            {
                // Multipart above 64 MiB, in 512 MiB parts, one at a time: moto reads the whole source for every
                // UploadPartCopy, so bigger parts and no concurrency keep moto (not the function) fast and small.
                ["MULTIPART_COPY_THRESHOLD_BYTES"] = (64 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
                ["MULTIPART_COPY_PART_BYTES"] = (512 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
                ["MULTIPART_COPY_CONCURRENCY"] = "1",
            });

            var errors = api.RequestsTo("/error");
            Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.Body)) + "\n" + BootstrapProcess.Tail(exit.StdErr));
            var response = Assert.Single(api.RequestsTo("/response"));
            var record = Assert.Single(JsonSerializer.Deserialize(response.Body, IngestResultJsonContext.Default.IngestResult)!.Records);
            Assert.Equal(Outcomes.Accepted, record.Outcome);
            Assert.Equal(rows, record.Rows);
            Assert.Equal(size, record.Bytes);

            using var manifest = await lake.GetJsonAsync(record.ReportKey!);
            Assert.Equal(sha256, manifest.RootElement.GetProperty("validation").GetProperty("sha256").GetString());
            var head = await lake.HeadAsync(record.DestinationKey!);
            Assert.Equal(size, head.ContentLength);
            var parts = (int)((size + 512L * 1024 * 1024 - 1) / (512L * 1024 * 1024));
            Assert.EndsWith($"-{parts}", head.ETag.Trim('"'), StringComparison.Ordinal);
            var readBack = Stopwatch.StartNew();
            Assert.Equal(sha256, await HashObjectAsync(lake, record.DestinationKey!));
            readBack.Stop();
            Assert.Equal(1, await lake.CountVersionsAsync(record.DestinationKey!));
            Assert.Empty((await lake.S3.ListMultipartUploadsAsync(lake.Bucket)).MultipartUploads ?? []);
            await lake.AssertLandingUntouchedAsync(Key, landed);

            var log = exit.StdErr.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{') && l.Contains("\"outcome\":\"accepted\"", StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l).RootElement).Single();
            var figures = string.Create(CultureInfo.InvariantCulture,
                $"large: {size / 1024.0 / 1024 / 1024:F2} GiB, {rows:N0} rows, uploaded in {upload.Elapsed.TotalSeconds:F0} s "
                + $"({UploadPartBytes / 1024 / 1024} MiB parts); bootstrap at 128 MB: {exit.Elapsed.TotalSeconds:F0} s in all, validation {log.GetProperty("validationMs").GetInt64() / 1000.0:F1} s "
                + $"({size / 1024.0 / 1024 / (log.GetProperty("validationMs").GetInt64() / 1000.0):F0} MiB/s read+validate+hash from moto), "
                + $"multipart copy ({parts} x 512 MiB) {log.GetProperty("copyMs").GetInt64() / 1000.0:F1} s; peak RSS {exit.PeakRssKb / 1024.0:F1} MiB; "
                + $"copy read back and hashed in {readBack.Elapsed.TotalSeconds:F0} s");
            output.WriteLine(figures);
            await FigureLog.WriteAsync(figures);
            Assert.True(exit.PeakRssKb > 0 && exit.PeakRssKb < 128 * 1024, $"peak RSS {exit.PeakRssKb} KiB (limit 128 MiB)");
        }
        finally
        {
            await lake.EmptyAsync(); // moto holds objects in memory and temp files until they are deleted
        }
    }

    /// <summary>The movies header, then the sample's rows over and over until 2 GiB, uploaded part by part.</summary>
    private static async Task<(long Size, long Rows, string Sha256, PutObjectResponse Landed)> UploadAsync(TestLake lake)
    {
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
        return (size, blocks * blockRows, Convert.ToHexStringLower(hash.GetHashAndReset()), landed);
    }

    private static async Task<string> HashObjectAsync(TestLake lake, string key)
    {
        using var response = await lake.S3.GetObjectAsync(new GetObjectRequest { BucketName = lake.Bucket, Key = key });
        using var sha = SHA256.Create();
        return Convert.ToHexStringLower(await sha.ComputeHashAsync(response.ResponseStream));
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
