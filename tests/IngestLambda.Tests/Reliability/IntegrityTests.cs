using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Ingestion;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// docs/reliability.md "Integrity": the read's CRC64NVME goes into the manifest and the copy's metadata, is checked
/// against the checksum S3 says it stored, and a mismatch is a read fault (failed, retried, nothing written). The S3
/// API is moto_server; what moto cannot show (S3 computing a CRC64NVME, <c>x-amz-checksum-type</c>) is added to its
/// answers from S3's documented responses by the <see cref="FaultInjector"/>, and what moto does is said where it matters.
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Integration")] // moto_server: not in make test-unit (LakeTests)
public sealed class IntegrityTests(MotoServer moto) : LakeTests(moto)
{
    /// <summary>Lands <paramref name="body"/> with a CRC64NVME the client sends (as AWS CLI v2 does); moto stores what it is sent.</summary>
    private static async Task<(PutObjectResponse Landed, string Event)> LandWithCrc64NvmeAsync(TestLake lake, byte[] body, string crc64Nvme)
    {
        var put = await lake.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = lake.Bucket, Key = Key, InputStream = new MemoryStream(body), ContentType = "text/csv",
            ChecksumAlgorithm = ChecksumAlgorithm.CRC64NVME, ChecksumCRC64NVME = crc64Nvme,
        });
        var stored = await lake.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = lake.Bucket, Key = Key, ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal(crc64Nvme, stored.ChecksumCRC64NVME); // the setup holds: this is what S3 (moto) says it stored
        return (put, EventJson.S3Event(lake.Bucket, Key, put.ETag, put.VersionId, body.Length));
    }

    /// <summary>Runs the function once through <paramref name="injector"/>; the record must be accepted.</summary>
    private static async Task<RecordResult> IngestAcceptedAsync(TestLake lake, FaultInjector injector, string eventJson)
    {
        using var function = lake.Function(injector);
        var (result, failure) = await function.TryInvokeAsync(eventJson);
        Assert.Null(failure);
        var record = Assert.Single(result.Records);
        Assert.Equal(Outcomes.Accepted, record.Outcome);
        return record;
    }

    private static (string? Algorithm, string? Type, bool? Verified) StoredChecksumOf(System.Text.Json.JsonDocument report)
    {
        var stored = report.RootElement.GetProperty("validation").GetProperty("storedChecksum");
        var verified = stored.GetProperty("verified");
        return (stored.GetProperty("algorithm").GetString(), stored.GetProperty("type").GetString(),
            verified.ValueKind == System.Text.Json.JsonValueKind.Null ? null : verified.GetBoolean());
    }

    [Fact]
    public async Task A_landing_object_with_a_full_object_crc64nvme_is_verified_and_its_copy_asks_S3_for_a_crc64nvme()
    {
        using var lake = await NewLakeAsync();
        var crc64 = TestLake.Crc64Nvme(TestFiles.Movies);
        var (landed, eventJson) = await LandWithCrc64NvmeAsync(lake, TestFiles.Movies, crc64);
        var injector = new FaultInjector();

        var record = await IngestAcceptedAsync(lake, injector, eventJson);

        using var manifest = await lake.GetJsonAsync(record.ReportKey!);
        Assert.Equal(crc64, manifest.RootElement.GetProperty("validation").GetProperty("crc64nvme").GetString());
        Assert.Equal(("CRC64NVME", "FULL_OBJECT", true), StoredChecksumOf(manifest));
        var copy = await lake.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = lake.Bucket, Key = record.DestinationKey, ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal(crc64, copy.Metadata["ingest-crc64nvme"]);

        // The copy asked S3 to compute a CRC64NVME of the copied bytes, which S3 then shows on the copy ...
        var copyRequest = Assert.Single(injector.RequestHeaders, r => r.Operation == S3Operation.CopyObject);
        Assert.Contains("x-amz-checksum-algorithm: CRC64NVME", copyRequest.AmzHeaders, StringComparison.Ordinal);
        // ... where S3 shows the manifest's value. moto 5.2.1 without awscrt stores a CRC32 under that name instead
        // (docs/reliability.md "What moto proves"); either way the algorithm the copy carries is CRC64NVME.
        Assert.Contains(copy.ChecksumCRC64NVME, new[] { crc64, MotoCrc32Fallback(TestFiles.Movies) });
        await lake.AssertLandingUntouchedAsync(Key, landed);
    }

    /// <summary>What moto without awscrt stores when asked to compute a CRC64NVME: base64 of the big-endian CRC32.</summary>
    private static string MotoCrc32Fallback(byte[] body)
    {
        var crc = System.IO.Hashing.Crc32.HashToUInt32(body);
        return Convert.ToBase64String([(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc]);
    }

    [Fact]
    public async Task A_stored_checksum_that_the_bytes_do_not_match_fails_the_record_with_checksum_mismatch_and_writes_nothing()
    {
        using var lake = await NewLakeAsync();
        var (landed, eventJson) = await LandWithCrc64NvmeAsync(lake, TestFiles.Movies, TestLake.Crc64Nvme(TestFiles.BadMovies)); // a wrong one, sent on purpose
        using var function = lake.Function(new FaultInjector());

        var (result, failure) = await function.TryInvokeAsync(eventJson);

        // A read fault, not a verdict on the data: the invocation fails, so Lambda (or SQS) retries it.
        Assert.NotNull(failure);
        var record = Assert.Single(result.Records);
        Assert.Equal(Outcomes.Failed, record.Outcome);
        Assert.Contains("checksum-mismatch", record.Message, StringComparison.Ordinal);
        Assert.Contains("checksum-mismatch", failure.Message, StringComparison.Ordinal);
        await lake.AssertNothingWrittenAsync();
        await lake.AssertLandingUntouchedAsync(Key, landed);
    }

    [Fact]
    public async Task A_body_corrupted_in_transit_is_caught_by_the_stored_checksum_and_the_retry_succeeds()
    {
        using var lake = await NewLakeAsync();
        var (landed, eventJson) = await lake.LandVersionAsync(Key, TestFiles.Movies); // the SDK's CRC32, stored by moto
        var injector = new FaultInjector().Add(Fault.FlipByte(S3Operation.GetObject, at: TestFiles.Movies.Length / 2));
        using var function = lake.Function(injector);

        var (result, failure) = await function.TryInvokeAsync(eventJson);

        Assert.NotNull(failure);
        Assert.Equal(Outcomes.Failed, Assert.Single(result.Records).Outcome);
        Assert.StartsWith("ChecksumMismatchException: checksum-mismatch: the CRC32 of", result.Records[0].Message, StringComparison.Ordinal);
        await lake.AssertNothingWrittenAsync();

        var (retried, retryFailure) = await function.TryInvokeAsync(eventJson); // the fault was used up: an intact body
        Assert.Null(retryFailure);
        var record = Assert.Single(retried.Records);
        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal(TestLake.Sha256(TestFiles.Movies), TestLake.Sha256(await lake.GetBytesAsync(record.DestinationKey!)));
        await lake.AssertLandingUntouchedAsync(Key, landed);
    }

    /// <summary>S3 sends <c>x-amz-checksum-type</c> with every checksum (moto only for multipart objects): both types as S3 sends them.</summary>
    [Theory]
    [InlineData("FULL_OBJECT", true)]
    [InlineData("COMPOSITE", null)]
    public async Task The_checksum_type_S3_sends_decides_whether_the_read_can_check_it(string type, bool? verified)
    {
        using var lake = await NewLakeAsync();
        var crc64 = TestLake.Crc64Nvme(TestFiles.Movies);
        var (_, eventJson) = await LandWithCrc64NvmeAsync(lake, TestFiles.Movies, crc64);
        var injector = new FaultInjector().Add(Fault.AddHeaders(S3Operation.GetObject, ("x-amz-checksum-type", type)));

        var record = await IngestAcceptedAsync(lake, injector, eventJson);

        using var manifest = await lake.GetJsonAsync(record.ReportKey!);
        Assert.Equal(("CRC64NVME", type, verified), StoredChecksumOf(manifest));
        var get = Assert.Single(injector.RequestHeaders, r => r.Operation == S3Operation.GetObject);
        Assert.Contains("x-amz-checksum-mode: ENABLED", get.AmzHeaders, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_multipart_copy_is_a_full_object_crc64nvme_checked_by_S3_against_the_read()
    {
        using var lake = await NewLakeAsync();
        var (landed, eventJson) = await lake.LandVersionAsync(Key, TestFiles.LargeMovies);
        var injector = new FaultInjector();
        var config = lake.Config(c => c with { MultipartCopyThresholdBytes = 1024 * 1024, MultipartCopyPartBytes = IngestConfig.MinPartBytes });
        using var function = lake.Function(injector, config);

        var (result, failure) = await function.TryInvokeAsync(eventJson);

        Assert.Null(failure);
        var record = Assert.Single(result.Records);
        Assert.Equal(Outcomes.Accepted, record.Outcome);
        var crc64 = TestLake.Crc64Nvme(TestFiles.LargeMovies);
        var initiate = Assert.Single(injector.RequestHeaders, r => r.Operation == S3Operation.CreateMultipartUpload).AmzHeaders;
        Assert.Contains("x-amz-checksum-algorithm: CRC64NVME", initiate, StringComparison.Ordinal);
        Assert.Contains("x-amz-checksum-type: FULL_OBJECT", initiate, StringComparison.Ordinal);
        // S3 refuses to complete a full-object upload whose parts do not add up to this value (moto does not check it).
        var complete = Assert.Single(injector.RequestHeaders, r => r.Operation == S3Operation.CompleteMultipartUpload).AmzHeaders;
        Assert.Contains($"x-amz-checksum-crc64nvme: {crc64}", complete, StringComparison.Ordinal);
        var copy = await lake.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = lake.Bucket, Key = record.DestinationKey, ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal(ChecksumType.FULL_OBJECT, copy.ChecksumType);
        Assert.Equal(3, int.Parse(copy.ETag.Trim('"').Split('-')[1], CultureInfo.InvariantCulture));
        await lake.AssertLandingUntouchedAsync(Key, landed);
    }

    [Fact]
    public async Task With_INTEGRITY_SHA256_the_manifest_and_the_copy_carry_the_sha256_too()
    {
        using var lake = await NewLakeAsync();
        var (_, eventJson) = await lake.LandVersionAsync(Key, TestFiles.Movies);
        var config = lake.Config(c => c with { Validation = c.Validation with { Sha256 = true } }); // INTEGRITY_SHA256=true (IngestConfigTests)
        using var function = lake.Function(new FaultInjector(), config);

        var (result, _) = await function.TryInvokeAsync(eventJson);

        var record = Assert.Single(result.Records);
        Assert.Equal(Outcomes.Accepted, record.Outcome);
        var sha256 = TestLake.Sha256(TestFiles.Movies);
        using var manifest = await lake.GetJsonAsync(record.ReportKey!);
        Assert.Equal(sha256, manifest.RootElement.GetProperty("validation").GetProperty("sha256").GetString());
        Assert.Equal(TestLake.Crc64Nvme(TestFiles.Movies), manifest.RootElement.GetProperty("validation").GetProperty("crc64nvme").GetString());
        Assert.Equal(sha256, (await lake.HeadAsync(record.DestinationKey!)).Metadata["ingest-sha256"]);
    }
}
