using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using IngestLambda.Cli;
using IngestLambda.Ingestion;
using IngestLambda.Observability;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Ingestion;

namespace IngestLambda.Tests.Reliability;

/// <summary>Helpers on top of <see cref="TestLake"/>: a function whose S3 client goes through a <see cref="FaultInjector"/>, and whole-lake checks.</summary>
internal static class ReliabilityLake
{
    public static readonly string[] LakePrefixes = ["landing/", "Raw/Local/CSV/", "quarantine/", "manifests/"];

    public static IngestFunction Function(this TestLake lake, FaultInjector injector, IngestConfig? config = null)
    {
        config ??= lake.Config();
        return new IngestFunction(config, S3ClientFactory.Create(config, MotoServer.Credentials, injector.HttpClientFactory),
            new IngestLog(TextWriter.Synchronized(lake.Log), LogLevel.Debug, TimeProvider.System), ownsClient: true);
    }

    /// <summary>Runs one invocation; a failed one (the function threw) comes back as its partial result and the exception.</summary>
    public static async Task<(IngestResult Result, IngestFailedException? Failure)> TryInvokeAsync(this IngestFunction function, string eventJson, TimeSpan? timeout = null)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));
        try
        {
            await using var output = await function.HandleAsync(input, new LocalLambdaContext(timeout ?? TimeSpan.FromMinutes(5)));
            return (JsonSerializer.Deserialize(output, IngestResultJsonContext.Default.IngestResult)!, null);
        }
        catch (IngestFailedException e)
        {
            return (e.PartialResult, e);
        }
    }

    /// <summary>Every version (and delete marker) in the bucket, paging through all of them.</summary>
    public static async Task<List<S3ObjectVersion>> AllVersionsAsync(this TestLake lake, string prefix = "")
    {
        var all = new List<S3ObjectVersion>();
        var request = new ListVersionsRequest { BucketName = lake.Bucket, Prefix = prefix };
        while (true)
        {
            var page = await lake.S3.ListVersionsAsync(request);
            all.AddRange(page.Versions ?? []);
            if (page.IsTruncated != true)
                return all;
            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    /// <summary>Every current key in the bucket, paging through all of them.</summary>
    public static async Task<List<string>> AllKeysAsync(this TestLake lake, string prefix = "")
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = lake.Bucket, Prefix = prefix };
        while (true)
        {
            var page = await lake.S3.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            if (page.IsTruncated != true)
                return keys;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>No object (not even an old version or a delete marker) and no multipart upload outside the landing prefix.</summary>
    public static async Task AssertNothingWrittenAsync(this TestLake lake)
    {
        var written = (await lake.AllVersionsAsync()).Where(v => !v.Key.StartsWith("landing/", StringComparison.Ordinal)).Select(v => v.Key).ToList();
        Assert.True(written.Count == 0, "written outside landing/: " + string.Join(", ", written));
        Assert.Empty((await lake.S3.ListMultipartUploadsAsync(lake.Bucket)).MultipartUploads ?? []);
    }

    /// <summary>The landed object is exactly as it was put: one version, the same version id and ETag.</summary>
    public static async Task AssertLandingUntouchedAsync(this TestLake lake, string key, PutObjectResponse landed) =>
        AssertLandingUntouched(await lake.AllVersionsAsync(key), key, landed);

    /// <summary>The same check on a listing already made (<see cref="AllVersionsAsync"/>).</summary>
    public static void AssertLandingUntouched(IEnumerable<S3ObjectVersion> versions, string key, PutObjectResponse landed)
    {
        var only = Assert.Single(versions, v => v.Key == key);
        Assert.Equal(landed.VersionId ?? "null", only.VersionId ?? "null"); // "null": written while versioning was off
        Assert.Equal(landed.ETag.Trim('"'), only.ETag.Trim('"'));
        Assert.NotEqual(true, only.IsDeleteMarker);
    }

    public static string EventFor(this TestLake lake, string key, PutObjectResponse landed, long size, bool withVersionId = true,
        string? sequencer = EventJson.DefaultSequencer) =>
        EventJson.S3Event(lake.Bucket, key, landed.ETag, withVersionId ? landed.VersionId : null, size, sequencer: sequencer);

    /// <summary>
    /// Puts the lake back to the one version <paramref name="landed"/> of <paramref name="key"/>, as if nothing had run
    /// since it landed: aborts every upload and deletes every other version (moto holds objects in memory and temp files
    /// until then). Costly with large objects: moto deep-copies every object in the bucket for each version listing.
    /// </summary>
    public static async Task ResetAsync(this TestLake lake, string key, PutObjectResponse landed)
    {
        foreach (var upload in (await lake.S3.ListMultipartUploadsAsync(lake.Bucket)).MultipartUploads ?? [])
            await lake.S3.AbortMultipartUploadAsync(lake.Bucket, upload.Key, upload.UploadId);
        foreach (var version in await lake.AllVersionsAsync())
        {
            if (version.Key != key || version.VersionId != landed.VersionId || version.IsDeleteMarker == true)
                await lake.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = lake.Bucket, Key = version.Key, VersionId = version.VersionId });
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails after 60 s.</summary>
    public static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "timed out waiting");
            await Task.Delay(20);
        }
    }

    /// <summary>A claim as another run (one that crashed, or a slow one) leaves it: live until <paramref name="until"/>.</summary>
    public static async Task PutClaimAsync(this TestLake lake, string key, DateTimeOffset until, string token)
    {
        var request = new PutObjectRequest { BucketName = lake.Bucket, Key = key, ContentBody = $"claimed by another run ({token})\n" };
        request.Metadata.Add("ingest-claim-until", until.ToString("O"));
        request.Metadata.Add("ingest-claim-token", token);
        await lake.S3.PutObjectAsync(request);
    }
}
