using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Ingestion;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// docs/reliability.md "Integrity": a landing object uploaded by multipart with CRC32 carries a COMPOSITE checksum,
/// which the read checks part by part with the parts GetObjectAttributes lists. moto 5.2.1 stores the composite and
/// returns it on the GET, but its GetObjectAttributes lists no ObjectParts; where a test needs the parts listed, the
/// <see cref="FaultInjector"/> answers GetObjectAttributes as S3 documents it (API reference, GetObjectAttributes
/// response syntax), from the parts the test really uploaded, one part a page so the paging is used.
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Integration")]
public sealed class CompositeChecksumTests(MotoServer moto) : LakeTests(moto)
{
    private const int UploadPartBytes = 5 * 1024 * 1024;
    private const int PartsPerPage = 1;
    private const int RangeBytes = 2 * 1024 * 1024;

    /// <summary>6 MiB of valid movies: parts of 5 MiB (moto's smallest but last) and 1 MiB, listed one a page.</summary>
    private static byte[] Body { get; } = TestFiles.Repeat(TestFiles.Movies, 6 * 1024 * 1024);

    private sealed record Landed(PutObjectResponse Object, string Event, List<(long Size, string Crc32)> Parts);

    /// <summary>Uploads <see cref="Body"/> by multipart with CRC32, as the SDKs do by default; the SDK computes each part's CRC32.</summary>
    private static async Task<Landed> LandMultipartCrc32Async(TestLake lake, bool withVersionId = true)
    {
        var upload = await lake.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = lake.Bucket, Key = Key, ContentType = "text/csv", ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
        });
        var etags = new List<PartETag>();
        var parts = new List<(long Size, string Crc32)>();
        for (int offset = 0, number = 1; offset < Body.Length; offset += UploadPartBytes, number++)
        {
            var length = Math.Min(UploadPartBytes, Body.Length - offset);
            var part = await lake.S3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = lake.Bucket, Key = Key, UploadId = upload.UploadId, PartNumber = number, ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
                InputStream = new MemoryStream(Body, offset, length, writable: false),
            });
            Assert.Equal(Crc32Base64(Body.AsSpan(offset, length)), part.ChecksumCRC32); // the SDK's, stored by moto
            etags.Add(new PartETag { PartNumber = number, ETag = part.ETag, ChecksumCRC32 = part.ChecksumCRC32 });
            parts.Add((length, part.ChecksumCRC32));
        }
        await lake.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = lake.Bucket, Key = Key, UploadId = upload.UploadId, PartETags = etags });
        // A GET, as the function reads it (moto's HEAD leaves out the -<parts> suffix its GET sends).
        using var head = await lake.S3.GetObjectAsync(new GetObjectRequest { BucketName = lake.Bucket, Key = Key, ChecksumMode = ChecksumMode.ENABLED });
        // What moto stores, as S3 documents it: the CRC32 of the parts' big-endian CRC32s, suffixed with the part count.
        Assert.Equal(Composite(parts), head.ChecksumCRC32);
        Assert.Equal(ChecksumType.COMPOSITE, head.ChecksumType);
        var landed = new PutObjectResponse { ETag = head.ETag, VersionId = head.VersionId };
        return new Landed(landed, EventJson.S3Event(lake.Bucket, Key, head.ETag, withVersionId ? head.VersionId : null, Body.Length), parts);
    }

    private static string Crc32Base64(ReadOnlySpan<byte> bytes)
    {
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, Crc32.HashToUInt32(bytes));
        return Convert.ToBase64String(value);
    }

    private static string Composite(List<(long Size, string Crc32)> parts) =>
        $"{Crc32Base64(parts.SelectMany(p => Convert.FromBase64String(p.Crc32)).ToArray())}-{parts.Count}";

    /// <summary>
    /// GetObjectAttributes as S3 answers it for ObjectParts (XML as in the S3 API reference), a page of
    /// <see cref="PartsPerPage"/> parts from the request's <c>x-amz-part-number-marker</c>.
    /// </summary>
    private static Func<HttpRequestMessage, string> ListedAsS3Does(Landed landed, List<(long Size, string Crc32)>? parts = null,
        System.Collections.Concurrent.ConcurrentQueue<string>? queries = null, string? eTag = null)
    {
        parts ??= landed.Parts;
        eTag ??= landed.Object.ETag.Trim('"');
        return request =>
        {
            queries?.Enqueue(request.RequestUri?.Query ?? "");
            var marker = request.Headers.TryGetValues("x-amz-part-number-marker", out var values) ? int.Parse(values.Single(), CultureInfo.InvariantCulture) : 0;
            var page = parts.Select((p, i) => (Number: i + 1, p.Size, p.Crc32)).Skip(marker).Take(PartsPerPage).ToList();
            var truncated = marker + page.Count < parts.Count;
            var xml = new StringBuilder()
                .Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<GetObjectAttributesResponse xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .Append(CultureInfo.InvariantCulture, $"<ETag>{eTag}</ETag><ObjectParts>")
                .Append(CultureInfo.InvariantCulture, $"<IsTruncated>{(truncated ? "true" : "false")}</IsTruncated><MaxParts>{PartsPerPage}</MaxParts>")
                .Append(CultureInfo.InvariantCulture, $"<PartNumberMarker>{marker}</PartNumberMarker><NextPartNumberMarker>{marker + page.Count}</NextPartNumberMarker>");
            foreach (var part in page)
                xml.Append(CultureInfo.InvariantCulture, $"<Part><ChecksumCRC32>{part.Crc32}</ChecksumCRC32><PartNumber>{part.Number}</PartNumber><Size>{part.Size}</Size></Part>");
            return xml.Append(CultureInfo.InvariantCulture, $"<PartsCount>{parts.Count}</PartsCount></ObjectParts></GetObjectAttributesResponse>").ToString();
        };
    }

    private static (string? Algorithm, string? Type, bool? Verified, string? Reason) StoredChecksumOf(JsonDocument report)
    {
        var stored = report.RootElement.GetProperty("validation").GetProperty("storedChecksum");
        var verified = stored.GetProperty("verified");
        return (stored.GetProperty("algorithm").GetString(), stored.GetProperty("type").GetString(),
            verified.ValueKind == JsonValueKind.Null ? null : verified.GetBoolean(),
            stored.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
    }

    private static async Task<RecordResult> IngestAcceptedAsync(TestLake lake, FaultInjector injector, Landed landed, IngestConfig? config = null)
    {
        using var function = lake.Function(injector, config);
        var (result, failure) = await function.TryInvokeAsync(landed.Event);
        Assert.Null(failure);
        var record = Assert.Single(result.Records);
        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal(TestLake.Sha256(Body), TestLake.Sha256(await lake.GetBytesAsync(record.DestinationKey!)));
        return record;
    }

    [Fact]
    public async Task Moto_lists_no_parts_so_its_composite_checksum_is_recorded_unverified_with_the_reason()
    {
        using var lake = await NewLakeAsync();
        var landed = await LandMultipartCrc32Async(lake);
        var injector = new FaultInjector();

        var record = await IngestAcceptedAsync(lake, injector, landed);

        using var manifest = await lake.GetJsonAsync(record.ReportKey!);
        Assert.Equal(("CRC32", "COMPOSITE", (bool?)null, "GetObjectAttributes listed no parts for the version read"), StoredChecksumOf(manifest));
        // The parts were asked for, for the version read.
        var (_, path) = Assert.Single(injector.Requests, r => r.Operation == S3Operation.GetObjectAttributes);
        Assert.EndsWith(Key, path, StringComparison.Ordinal);
        var asked = Assert.Single(injector.RequestHeaders, r => r.Operation == S3Operation.GetObjectAttributes).AmzHeaders;
        Assert.Contains("x-amz-object-attributes: ObjectParts", asked, StringComparison.Ordinal);
        await lake.AssertLandingUntouchedAsync(Key, landed.Object);
    }

    /// <summary>One GET, or ranges of 2 MiB that do not line up with the 5 MiB part: the part boundaries are byte offsets in the ordered stream.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task With_its_parts_listed_as_S3_lists_them_each_part_is_verified(bool ranged)
    {
        using var lake = await NewLakeAsync();
        var landed = await LandMultipartCrc32Async(lake);
        var queries = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var injector = new FaultInjector().Add(Fault.ReplaceBody(S3Operation.GetObjectAttributes, ListedAsS3Does(landed, queries: queries)));
        var config = ranged ? lake.Config(c => c with { RangedReadThresholdBytes = 1024 * 1024, RangedReadPartBytes = RangeBytes, RangedReadConcurrency = 3 }) : null;

        var record = await IngestAcceptedAsync(lake, injector, landed, config);

        using var manifest = await lake.GetJsonAsync(record.ReportKey!);
        Assert.Equal(("CRC32", "COMPOSITE", (bool?)true, (string?)null), StoredChecksumOf(manifest));
        var pages = injector.RequestHeaders.Where(r => r.Operation == S3Operation.GetObjectAttributes).Select(r => r.AmzHeaders).ToList();
        Assert.Equal(2, pages.Count); // 2 parts, 1 a page
        Assert.Contains("x-amz-part-number-marker: 1", pages[1], StringComparison.Ordinal);
        Assert.All(queries, q => Assert.Contains($"versionId={landed.Object.VersionId}", q, StringComparison.Ordinal)); // pinned to the version read
        Assert.Equal(ranged ? (Body.Length + RangeBytes - 1) / RangeBytes : 1, injector.Count(S3Operation.GetObject)); // one GET a range
    }

    [Fact]
    public async Task A_part_corrupted_in_transit_fails_the_record_with_checksum_mismatch_naming_the_part_and_the_retry_succeeds()
    {
        using var lake = await NewLakeAsync();
        var landed = await LandMultipartCrc32Async(lake);
        var injector = new FaultInjector()
            .Add(Fault.ReplaceBody(S3Operation.GetObjectAttributes, ListedAsS3Does(landed)))
            .Add(Fault.FlipByte(S3Operation.GetObject, at: UploadPartBytes + 1000)); // in part 2; no full-object checksum to catch it
        using var function = lake.Function(injector);

        var (result, failure) = await function.TryInvokeAsync(landed.Event);

        Assert.NotNull(failure);
        var record = Assert.Single(result.Records);
        Assert.Equal(Outcomes.Failed, record.Outcome);
        Assert.StartsWith("ChecksumMismatchException: checksum-mismatch: the CRC32 of", record.Message, StringComparison.Ordinal);
        Assert.Contains($"(the CRC32 of part 2 (bytes {UploadPartBytes}-{Body.Length - 1}) is ", record.Message, StringComparison.Ordinal);
        await lake.AssertNothingWrittenAsync();

        var (retried, retryFailure) = await function.TryInvokeAsync(landed.Event); // the fault was used up: intact bytes
        Assert.Null(retryFailure);
        var accepted = Assert.Single(retried.Records);
        Assert.Equal(Outcomes.Accepted, accepted.Outcome);
        using var manifest = await lake.GetJsonAsync(accepted.ReportKey!);
        Assert.Equal(true, StoredChecksumOf(manifest).Verified);
        await lake.AssertLandingUntouchedAsync(Key, landed.Object);
    }

    [Fact]
    public async Task A_listing_whose_part_checksum_the_bytes_do_not_match_fails_the_record_and_writes_nothing()
    {
        using var lake = await NewLakeAsync();
        var landed = await LandMultipartCrc32Async(lake);
        var listed = landed.Parts.ToList();
        listed[1] = (listed[1].Size, Crc32Base64("other bytes"u8)); // S3 says part 2 held other bytes than were read
        using var function = lake.Function(new FaultInjector().Add(Fault.ReplaceBody(S3Operation.GetObjectAttributes, ListedAsS3Does(landed, listed))));

        var (result, failure) = await function.TryInvokeAsync(landed.Event);

        Assert.NotNull(failure);
        var record = Assert.Single(result.Records);
        Assert.Equal(Outcomes.Failed, record.Outcome);
        Assert.Contains("checksum-mismatch", record.Message, StringComparison.Ordinal);
        Assert.Contains("part 2", record.Message, StringComparison.Ordinal);
        await lake.AssertNothingWrittenAsync();
        await lake.AssertLandingUntouchedAsync(Key, landed.Object);
    }

    [Fact]
    public async Task When_S3_refuses_to_list_the_parts_the_checksum_is_recorded_unverified_and_the_file_is_ingested()
    {
        using var lake = await NewLakeAsync();
        var landed = await LandMultipartCrc32Async(lake);
        // The role without s3:GetObjectVersionAttributes, as S3 answers it.
        var injector = new FaultInjector().Add(Fault.S3Error(S3Operation.GetObjectAttributes, HttpStatusCode.Forbidden, "AccessDenied"));

        var record = await IngestAcceptedAsync(lake, injector, landed);

        using var manifest = await lake.GetJsonAsync(record.ReportKey!);
        Assert.Equal(("CRC32", "COMPOSITE", (bool?)null, "GetObjectAttributes answered 403 AccessDenied"), StoredChecksumOf(manifest));
    }

    [Fact]
    public async Task In_a_bucket_without_versioning_the_parts_listed_for_the_same_ETag_are_verified()
    {
        using var lake = await NewLakeAsync(versioned: false);
        var landed = await LandMultipartCrc32Async(lake, withVersionId: false);
        var queries = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var injector = new FaultInjector().Add(Fault.ReplaceBody(S3Operation.GetObjectAttributes, ListedAsS3Does(landed, queries: queries)));

        var record = await IngestAcceptedAsync(lake, injector, landed);

        using var manifest = await lake.GetJsonAsync(record.ReportKey!);
        Assert.Equal(true, StoredChecksumOf(manifest).Verified);
        Assert.All(queries, q => Assert.DoesNotContain("versionId", q, StringComparison.Ordinal));
    }

    /// <summary>A listing that cannot describe the bytes read says nothing about them: recorded unverified, never judged.</summary>
    [Theory]
    [InlineData("sizes", "the parts GetObjectAttributes listed add up to {0} bytes, the object has {1}")]
    [InlineData("count", "GetObjectAttributes listed 1 part, the stored value names 2")]
    [InlineData("etag", "GetObjectAttributes listed no parts for the version read")]
    public async Task A_listing_that_does_not_describe_the_object_read_leaves_it_unverified(string wrong, string reason)
    {
        using var lake = await NewLakeAsync();
        var landed = await LandMultipartCrc32Async(lake);
        var listed = landed.Parts.ToList();
        if (wrong == "sizes")
            listed[1] = (listed[1].Size + 1, listed[1].Crc32);
        if (wrong == "count")
            listed.RemoveAt(1);
        var eTag = wrong == "etag" ? "0123456789abcdef0123456789abcdef-2" : null; // another object's (a replaced unversioned key)
        var injector = new FaultInjector().Add(Fault.ReplaceBody(S3Operation.GetObjectAttributes, ListedAsS3Does(landed, listed, eTag: eTag)));

        var record = await IngestAcceptedAsync(lake, injector, landed);

        using var manifest = await lake.GetJsonAsync(record.ReportKey!);
        Assert.Equal(("CRC32", "COMPOSITE", (bool?)null, string.Format(CultureInfo.InvariantCulture, reason, Body.Length + 1, Body.Length)), StoredChecksumOf(manifest));
    }
}
