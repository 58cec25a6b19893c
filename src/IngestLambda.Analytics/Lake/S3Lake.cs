using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace IngestLambda.Analytics.Lake;

/// <summary>
/// A lake in S3 (<c>s3://BUCKET[/PREFIX]</c>, the prefix standing where the bucket's root would). DuckDB's httpfs
/// extension cannot be installed offline, so the chosen snapshot's objects are streamed into a local cache named by
/// ETag and size, and reused as long as the object is unchanged (<see cref="AnswersCache"/>, which bounds its size).
/// </summary>
internal sealed class S3Lake(IAmazonS3 s3, string bucket, string prefix, AnswersCache cache, TextWriter progress, bool showProgress,
    string manifestPrefix = "manifests/") : ILake
{
    private const int DownloadConcurrency = 4;

    private string ManifestKeyPrefix => prefix + manifestPrefix;

    public string ManifestLocation => $"s3://{bucket}/{ManifestKeyPrefix}";

    public string LocationOf(DataZone zone) => $"s3://{bucket}/{prefix}{zone.Prefix}";

    /// <summary>The client with the SDK's standard settings, as the function builds it: an endpoint override is reached path-style.</summary>
    public static IAmazonS3 CreateClient(Func<string, string?> environment)
    {
        var config = new AmazonS3Config { ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED };
        var region = Nonempty(environment("AWS_REGION")) ?? Nonempty(environment("AWS_DEFAULT_REGION"));
        if ((Nonempty(environment("AWS_ENDPOINT_URL_S3")) ?? Nonempty(environment("AWS_ENDPOINT_URL"))) is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return new AmazonS3Client(config);
    }

    private static string? Nonempty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    public async Task<IReadOnlyList<DataFile>> ListAsync(DataZone zone, IReadOnlySet<string> datasets, CancellationToken cancellationToken)
    {
        var zoneKeyPrefix = prefix + zone.Prefix;
        var files = new List<DataFile>();
        foreach (var dataset in datasets.Order(StringComparer.Ordinal))
        {
            await ForEachObjectAsync($"{zoneKeyPrefix}{dataset}/", entry =>
            {
                if (DataFile.Parse(entry.Key[zoneKeyPrefix.Length..], zone) is { } parsed && parsed.Dataset == dataset)
                    files.Add(new DataFile(dataset, parsed.Date, $"s3://{bucket}/{entry.Key}", cache.PathFor(entry.ETag, entry.Size ?? 0, entry.Key), entry.Size ?? 0));
            }, cancellationToken).ConfigureAwait(false);
        }
        return files;
    }

    public async Task<IReadOnlyList<ManifestFile>> ListManifestsAsync(IReadOnlySet<string> datasets, CancellationToken cancellationToken)
    {
        var manifests = new List<ManifestFile>();
        foreach (var dataset in datasets.Order(StringComparer.Ordinal))
        {
            await ForEachObjectAsync($"{ManifestKeyPrefix}{dataset}/", entry =>
            {
                if (ManifestFile.Parse(entry.Key[ManifestKeyPrefix.Length..]) is { } parsed && parsed.Dataset == dataset)
                    manifests.Add(new ManifestFile(dataset, parsed.Date, $"s3://{bucket}/{entry.Key}", entry.Key));
            }, cancellationToken).ConfigureAwait(false);
        }
        return manifests;
    }

    /// <summary>Every object under <paramref name="keyPrefix"/>, page by page.</summary>
    private async Task ForEachObjectAsync(string keyPrefix, Action<S3Object> visit, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = keyPrefix };
        ListObjectsV2Response page;
        do
        {
            page = await Call(() => s3.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);
            foreach (var entry in page.S3Objects ?? [])
                visit(entry);
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
    }

    public async Task<byte[]> ReadAsync(ManifestFile manifest, CancellationToken cancellationToken)
    {
        using var response = await Call(() => s3.GetObjectAsync(bucket, manifest.Location, cancellationToken)).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    public async Task<IReadOnlyList<DataFile>> MaterializeAsync(IReadOnlyList<DataFile> files, CancellationToken cancellationToken)
    {
        var missing = files.Where(file => !File.Exists(file.LocalPath)).DistinctBy(file => file.LocalPath).ToList();
        long total = missing.Sum(file => file.Size), done = 0;
        cache.MakeRoom(files.Select(file => file.LocalPath), total);
        var finished = 0;
        using var gate = new SemaphoreSlim(DownloadConcurrency);
        await Task.WhenAll(missing.Select(async file =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await DownloadAsync(file, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref done, file.Size);
                var count = Interlocked.Increment(ref finished);
                if (showProgress)
                {
                    lock (progress)
                        progress.Write($"\rdownloading {count}/{missing.Count} files, {done / 1e6:F1}/{total / 1e6:F1} MB into {cache.Directory}   ");
                }
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        if (showProgress && missing.Count > 0)
            progress.WriteLine();
        cache.MarkUsed(files.Select(file => file.LocalPath));
        return files;
    }

    private async Task DownloadAsync(DataFile file, CancellationToken cancellationToken)
    {
        var key = file.Name[$"s3://{bucket}/".Length..];
        var partial = $"{file.LocalPath}.{Environment.ProcessId}.part";
        try
        {
            using (var response = await Call(() => s3.GetObjectAsync(bucket, key, cancellationToken)).ConfigureAwait(false))
            await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await response.ResponseStream.CopyToAsync(output, 1 << 20, cancellationToken).ConfigureAwait(false);
            // Only a complete download gets the cache name, so an interrupted run never leaves a truncated entry.
            File.Move(partial, file.LocalPath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private async Task<T> Call<T>(Func<Task<T>> request)
    {
        try
        {
            return await request().ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new LakeAccessException($"The bucket '{bucket}' does not exist (or this endpoint does not serve it).", e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new LakeAccessException($"Access to s3://{bucket}/ was denied ({e.ErrorCode}: {e.Message}). Check the credentials and the bucket policy.", e);
        }
        catch (AmazonServiceException e)
        {
            throw new LakeAccessException($"S3 answered {(int)e.StatusCode} {e.ErrorCode} for s3://{bucket}/: {e.Message}", e);
        }
        catch (AmazonClientException e)
        {
            throw new LakeAccessException($"Could not call S3 for s3://{bucket}/: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new LakeAccessException($"Could not reach S3 for s3://{bucket}/: {e.Message}", e);
        }
    }
}
