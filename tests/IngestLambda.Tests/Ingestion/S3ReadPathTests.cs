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
}
