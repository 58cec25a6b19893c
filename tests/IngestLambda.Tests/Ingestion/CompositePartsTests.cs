using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Core.Validation;
using IngestLambda.Lake;

namespace IngestLambda.Tests.Ingestion;

/// <summary>
/// docs/reliability.md "Integrity": the composite checksums whose parts are not worth asking S3 for, decided from the
/// GET's answer alone. The client points at a closed port, so a request, if one were made, would fail the test.
/// </summary>
public sealed class CompositePartsTests
{
    private static readonly GetObjectRequest Get = new() { BucketName = "lake", Key = "landing/movies.csv", VersionId = "v1" };
    private static readonly GetObjectResponse Response = new() { ETag = "\"abc-2\"", ContentLength = 10 };

    private static async Task<ExpectedChecksum?> ListAsync(ExpectedChecksum? expected)
    {
        using var s3 = new AmazonS3Client(new BasicAWSCredentials("t", "t"), new AmazonS3Config { ServiceURL = "http://127.0.0.1:9/", ForcePathStyle = true, MaxErrorRetry = 0 });
        return await CompositeParts.ListAsync(s3, Get, Response, expected, CancellationToken.None);
    }

    [Theory]
    [InlineData("CRC64NVME", "AAAAAAAAAAA=-2", "CRC64NVME has no composite form")]
    [InlineData("CRC32", "AAAAAA==", "the stored value AAAAAA== does not end in -<parts>")]
    [InlineData("CRC32", "AAAAAA==-0", "the stored value AAAAAA==-0 does not end in -<parts>")]
    [InlineData("CRC32C", "AAAAAA==-10001", "it names 10001 parts, more than S3's 10000")]
    public async Task A_composite_checksum_whose_parts_cannot_be_checked_is_left_unlisted_with_the_reason(string algorithm, string value, string reason)
    {
        var listed = await ListAsync(new ExpectedChecksum(algorithm, ExpectedChecksum.Composite, value));
        Assert.Null(listed!.Parts);
        Assert.Equal(reason, listed.PartsUnlisted);
    }

    [Fact]
    public async Task A_full_object_checksum_or_none_is_passed_through_without_a_request()
    {
        var full = new ExpectedChecksum(ChecksumAlgorithms.Crc32, ExpectedChecksum.FullObject, "AAAAAA==");
        Assert.Same(full, await ListAsync(full));
        Assert.Null(await ListAsync(null));
    }

    [Theory]
    [InlineData("AAAAAA==-3", 3)]
    [InlineData("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=-10000", 10000)]
    [InlineData("AAAAAA==", null)]
    [InlineData("AAAAAA==-", null)]
    [InlineData("AAAAAA==--1", null)]
    [InlineData("AAAAAA==-1x", null)]
    public void The_part_count_is_the_suffix_of_the_composite_value(string value, int? count) =>
        Assert.Equal(count, CompositeParts.PartCount(value));
}
