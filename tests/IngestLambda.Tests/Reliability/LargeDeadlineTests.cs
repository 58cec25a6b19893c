using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using IngestLambda.Ingestion;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Ingestion;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// Issue #11 item 4 with a 2 GB object and 2.5 s left: refused before reading with the default rates, and stopped
/// in the middle of the read when the rates are set so high that it is attempted. Either way the error is posted
/// before the deadline and nothing is left: no upload, no claim (no version of it), no copy.
/// The object is assembled inside moto by UploadPartCopy of one 8 MiB block, so the test never sends 2 GB.
/// </summary>
[Collection(NativePublishGroup.Name)] // one 2 GB test at a time (LargeFileTests is in this collection too)
[Trait("Category", "Large")]
public sealed class LargeDeadlineTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Key = "landing/big/movies-2gb.csv";
    private const int BlockBytes = 8 * 1024 * 1024;
    private const int Blocks = 256;
    private static readonly TimeSpan TimeLeft = TimeSpan.FromSeconds(2.5);

    [Fact]
    public async Task A_2_GB_object_with_2_5_s_left_is_answered_before_the_deadline_and_leaves_nothing()
    {
        using var lake = await TestLake.CreateAsync(moto);
        try
        {
            var (landed, size) = await AssembleAsync(lake);
            Assert.True(size >= 2_000_000_000, $"{size} bytes");
            var eventJson = lake.EventFor(Key, landed, size);

            // Default rates: it cannot be read and copied in 2.5 s, so it is not read at all.
            var refusing = new FaultInjector();
            using (var function = lake.Function(refusing, lake.Config(c => c with { DeadlineMargin = TimeSpan.FromSeconds(1) })))
            {
                var (answer, after) = await DeadlineLoop.InvokeAsync(function, eventJson, TimeLeft, TimeSpan.FromSeconds(60));
                Assert.EndsWith("/error", answer.Path, StringComparison.Ordinal);
                Assert.True(after < TimeLeft, $"answered after {after.TotalSeconds:F2} s");
                Assert.Contains("Not reading", answer.Body, StringComparison.Ordinal);
                Assert.Equal(0, refusing.Count(S3Operation.GetObject));
                await FigureLog.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"deadline: {size / 1e9:F2} GB with 2.5 s left refused before reading, error posted after {after.TotalSeconds:F2} s"));
            }
            await AssertNothingLeftAsync(lake);

            // Rates so high that it is attempted: the read is cut off at the margin.
            var reading = new FaultInjector();
            var optimistic = lake.Config(c => c with { DeadlineMargin = TimeSpan.FromSeconds(1), ReadBytesPerSecond = long.MaxValue, CopyBytesPerSecond = long.MaxValue });
            using (var function = lake.Function(reading, optimistic))
            {
                var (answer, after) = await DeadlineLoop.InvokeAsync(function, eventJson, TimeLeft, TimeSpan.FromSeconds(120));
                Assert.EndsWith("/error", answer.Path, StringComparison.Ordinal);
                Assert.True(after < TimeLeft, $"answered after {after.TotalSeconds:F2} s");
                Assert.Contains(nameof(DeadlineException), answer.Body, StringComparison.Ordinal);
                Assert.Equal(1, reading.Count(S3Operation.GetObject));
                await FigureLog.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"deadline: {size / 1e9:F2} GB with 2.5 s left stopped while reading, error posted after {after.TotalSeconds:F2} s"));
            }
            await AssertNothingLeftAsync(lake);
            Assert.Equal(2, Regex.Count(lake.Log.ToString(), "\"outcome\":\"failed\""));
        }
        finally
        {
            await lake.EmptyAsync(); // moto holds objects in memory and temp files until they are deleted
        }
    }

    private static async Task AssertNothingLeftAsync(TestLake lake)
    {
        var written = (await lake.AllVersionsAsync()).Select(v => v.Key).ToList();
        Assert.Equal(["landing/", "seed/"], written.Select(k => k[..(k.IndexOf('/') + 1)]).Distinct().Order(StringComparer.Ordinal));
        Assert.Empty((await lake.S3.ListMultipartUploadsAsync(lake.Bucket)).MultipartUploads ?? []);
    }

    /// <summary>The movies header and rows in part 1, then 255 server-side copies of an 8 MiB block of rows.</summary>
    private static async Task<(PutObjectResponse Landed, long Size)> AssembleAsync(TestLake lake)
    {
        var text = Encoding.UTF8.GetString(TestFiles.Movies);
        var header = text[..(text.IndexOf('\n') + 1)];
        var rows = text[header.Length..].TrimEnd('\n') + "\n";
        var block = Fill(new StringBuilder(), rows);
        var first = Fill(new StringBuilder(header), rows);
        await lake.PutAsync("seed/rows.csv", block);

        var upload = await lake.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = lake.Bucket, Key = Key, ContentType = "text/csv" });
        var part1 = await lake.S3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = lake.Bucket, Key = Key, UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(first),
        });
        var etags = new List<PartETag> { new(1, part1.ETag) };
        for (var partNumber = 2; partNumber <= Blocks; partNumber++)
        {
            var copy = await lake.S3.CopyPartAsync(new CopyPartRequest
            {
                SourceBucket = lake.Bucket, SourceKey = "seed/rows.csv", DestinationBucket = lake.Bucket, DestinationKey = Key,
                UploadId = upload.UploadId, PartNumber = partNumber,
            });
            etags.Add(new PartETag(partNumber, copy.ETag));
        }
        await lake.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = lake.Bucket, Key = Key, UploadId = upload.UploadId, PartETags = etags });
        var head = await lake.HeadAsync(Key);
        Assert.Equal(first.Length + (long)block.Length * (Blocks - 1), head.ContentLength);
        return (new PutObjectResponse { ETag = head.ETag, VersionId = head.VersionId }, head.ContentLength);
    }

    /// <summary>Whole rows appended until the block holds at least 8 MiB.</summary>
    private static byte[] Fill(StringBuilder builder, string rows)
    {
        while (builder.Length < BlockBytes)
            builder.Append(rows);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
