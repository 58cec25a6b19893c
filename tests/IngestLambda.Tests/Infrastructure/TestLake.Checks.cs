using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using IngestLambda.Configuration;
using IngestLambda.Host;
using IngestLambda.Lake;
using IngestLambda.Observability;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Reliability;

namespace IngestLambda.Tests.Infrastructure;

/// <summary>Whole-lake checks and a function whose S3 client goes through a <see cref="FaultInjector"/>.</summary>
internal sealed partial class TestLake
{
    public static readonly string[] LakePrefixes = ["landing/", "Raw/Local/CSV/", "quarantine/", "manifests/", "Trusted/Local/Parquet/"];

    public IngestFunction Function(FaultInjector injector, IngestConfig? config = null, TimeProvider? time = null)
    {
        config ??= Config();
        time ??= TimeProvider.System;
        return new IngestFunction(config, S3ClientFactory.Create(config, MotoServer.Credentials, injector.HttpClientFactory),
            new IngestLog(SharedLog, LogLevel.Debug, time), time, ownsClient: true);
    }

    /// <summary>Every version (and delete marker) in the bucket, paging through all of them.</summary>
    public async Task<List<S3ObjectVersion>> AllVersionsAsync(string prefix = "")
    {
        var all = new List<S3ObjectVersion>();
        var request = new ListVersionsRequest { BucketName = Bucket, Prefix = prefix };
        while (true)
        {
            var page = await S3.ListVersionsAsync(request);
            all.AddRange(page.Versions ?? []);
            if (page.IsTruncated != true)
                return all;
            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    /// <summary>Every current key in the bucket, paging through all of them.</summary>
    public async Task<List<string>> AllKeysAsync(string prefix = "")
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        while (true)
        {
            var page = await S3.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            if (page.IsTruncated != true)
                return keys;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>No object (not even an old version or a delete marker) and no multipart upload outside the landing prefix.</summary>
    public async Task AssertNothingWrittenAsync()
    {
        var written = (await AllVersionsAsync()).Where(v => !v.Key.StartsWith("landing/", StringComparison.Ordinal)).Select(v => v.Key).ToList();
        Assert.True(written.Count == 0, "written outside landing/: " + string.Join(", ", written));
        Assert.Empty((await S3.ListMultipartUploadsAsync(Bucket)).MultipartUploads ?? []);
    }

    /// <summary>The landed object is exactly as it was put: one version, the same version id and ETag.</summary>
    public async Task AssertLandingUntouchedAsync(string key, PutObjectResponse landed) =>
        AssertLandingUntouched(await AllVersionsAsync(key), key, landed);

    /// <summary>The same check on a listing already made (<see cref="AllVersionsAsync"/>).</summary>
    public static void AssertLandingUntouched(IEnumerable<S3ObjectVersion> versions, string key, PutObjectResponse landed)
    {
        var only = Assert.Single(versions, v => v.Key == key);
        Assert.Equal(landed.VersionId ?? "null", only.VersionId ?? "null"); // "null": written while versioning was off
        Assert.Equal(landed.ETag.Trim('"'), only.ETag.Trim('"'));
        Assert.NotEqual(true, only.IsDeleteMarker);
    }

    public string EventFor(string key, PutObjectResponse landed, long size, bool withVersionId = true,
        string? sequencer = EventJson.DefaultSequencer) =>
        EventJson.S3Event(Bucket, key, landed.ETag, withVersionId ? landed.VersionId : null, size, sequencer: sequencer);

    /// <summary>
    /// Puts the lake back to the one version <paramref name="landed"/> of <paramref name="key"/>, as if nothing had run
    /// since it landed: aborts every upload and deletes every other version (moto holds objects in memory and temp files
    /// until then). Costly with large objects: moto deep-copies every object in the bucket for each version listing.
    /// </summary>
    public async Task ResetAsync(string key, PutObjectResponse landed)
    {
        foreach (var upload in (await S3.ListMultipartUploadsAsync(Bucket)).MultipartUploads ?? [])
            await S3.AbortMultipartUploadAsync(Bucket, upload.Key, upload.UploadId);
        foreach (var version in await AllVersionsAsync())
        {
            if (version.Key != key || version.VersionId != landed.VersionId || version.IsDeleteMarker == true)
                await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = version.Key, VersionId = version.VersionId });
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
    public async Task PutClaimAsync(string key, DateTimeOffset until, string token)
    {
        var request = new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = $"claimed by another run ({token})\n" };
        request.Metadata.Add("ingest-claim-until", until.ToString("O"));
        request.Metadata.Add("ingest-claim-token", token);
        await S3.PutObjectAsync(request);
    }
}

/// <summary>Invocations of an in-process function the way the tests make them.</summary>
internal static class FunctionInvocations
{
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
}
