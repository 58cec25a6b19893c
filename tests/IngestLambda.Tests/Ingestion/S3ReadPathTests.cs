using Amazon.Runtime.Internal.Util;
using Amazon.S3.Model;
using IngestLambda.Lake;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Ingestion;

/// <summary>
/// The function's GetObject body is the HTTP body, not the SDK's MD5 re-hash of it (issue #12); what replaces that
/// check (the byte count against Content-Length) is covered by FaultTests' truncated-body test.
/// </summary>
public sealed class S3ReadPathTests(MotoServer moto) : LakeTests(moto)
{
    [Fact]
    public async Task A_single_part_object_is_read_without_the_SDKs_MD5_wrapper_and_byte_for_byte()
    {
        using var lake = await NewLakeAsync();
        var landed = await lake.PutAsync("landing/movies.csv", TestFiles.Movies);
        Assert.DoesNotContain('-', landed.ETag); // a one-part upload: its ETag is an MD5, which the SDK would check

        // The bare SDK client wraps such a body (what the function used to pay for) ...
        using (var bare = await lake.S3.GetObjectAsync(lake.Bucket, "landing/movies.csv"))
            Assert.IsAssignableFrom<HashStream>(bare.ResponseStream);

        // ... the function's client does not, and still reads every byte.
        using var s3 = S3ClientFactory.Create(lake.Config(), MotoServer.Credentials);
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = lake.Bucket, Key = "landing/movies.csv", EtagToMatch = landed.ETag });
        Assert.IsNotAssignableFrom<HashStream>(response.ResponseStream);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        Assert.Equal(TestLake.Sha256(TestFiles.Movies), TestLake.Sha256(copy.ToArray()));
        Assert.Equal(TestFiles.Movies.Length, response.ContentLength);
    }

    /// <summary>docs/reliability.md "Integrity": S3's stored checksum comes with the body, and only the validator hashes it.</summary>
    [Fact]
    public async Task A_get_with_checksum_mode_gets_the_stored_checksum_without_the_SDK_hashing_the_body()
    {
        using var lake = await NewLakeAsync();
        await lake.PutAsync("landing/movies.csv", TestFiles.Movies); // the SDK sends a CRC32 of the body, which moto stores
        var get = new GetObjectRequest { BucketName = lake.Bucket, Key = "landing/movies.csv", ChecksumMode = Amazon.S3.ChecksumMode.ENABLED };

        // The bare SDK client would hash the body to check that checksum ...
        using (var bare = await lake.S3.GetObjectAsync(get))
            Assert.IsAssignableFrom<HashStream>(bare.ResponseStream);

        // ... the function's client does not; the validator's own pass checks it (StoredDigestsTests).
        using var s3 = S3ClientFactory.Create(lake.Config(), MotoServer.Credentials);
        using var response = await s3.GetObjectAsync(get);
        Assert.IsNotAssignableFrom<HashStream>(response.ResponseStream);
        Assert.Equal(new Core.Validation.ExpectedChecksum("CRC32", "FULL_OBJECT", Crc32Base64(TestFiles.Movies)), StoredChecksums.From(response));
    }

    private static string Crc32Base64(byte[] data)
    {
        var value = System.IO.Hashing.Crc32.HashToUInt32(data);
        return Convert.ToBase64String([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
}
