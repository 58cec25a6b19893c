using Amazon.S3;
using Amazon.S3.Model;

namespace IngestLambda.Ingestion;

/// <summary>What to copy: the source pinned to one version (or, without versioning, to one ETag) and the destination.</summary>
internal sealed record CopyPlan(
    string SourceBucket, string SourceKey, string? SourceVersionId, string SourceETag, long Size, string? ContentType,
    string DestinationBucket, string DestinationKey, Action<MetadataCollection> WriteMetadata);

/// <summary>
/// Server-side copies, so no byte of the object passes through the function a second time. Objects above the
/// threshold are copied with parallel UploadPartCopy; any failure aborts the upload so no parts stay behind.
/// </summary>
internal sealed class ServerSideCopy(IAmazonS3 s3, IngestConfig config)
{
    public Task CopyAsync(CopyPlan plan, CancellationToken cancellationToken) =>
        plan.Size > config.MultipartCopyThresholdBytes && plan.Size > 0
            ? CopyMultipartAsync(plan, cancellationToken)
            : CopySingleAsync(plan, cancellationToken);

    private async Task CopySingleAsync(CopyPlan plan, CancellationToken cancellationToken)
    {
        var request = new CopyObjectRequest
        {
            SourceBucket = plan.SourceBucket,
            SourceKey = plan.SourceKey,
            SourceVersionId = plan.SourceVersionId,
            ETagToMatch = plan.SourceVersionId is null ? SourceIdentity.Quote(plan.SourceETag) : null,
            DestinationBucket = plan.DestinationBucket,
            DestinationKey = plan.DestinationKey,
            MetadataDirective = S3MetadataDirective.REPLACE,
            ContentType = plan.ContentType,
        };
        plan.WriteMetadata(request.Metadata);
        await s3.CopyObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Part size: the configured one, grown so the object fits in 10,000 parts, rounded up to whole MiB.</summary>
    public static long ChoosePartSize(long objectSize, long preferredPartBytes)
    {
        var minimumForCount = (objectSize + IngestConfig.MaxParts - 1) / IngestConfig.MaxParts;
        var size = Math.Max(Math.Max(preferredPartBytes, minimumForCount), IngestConfig.MinPartBytes);
        size = (size + IngestConfig.MiB - 1) / IngestConfig.MiB * IngestConfig.MiB;
        if (size > IngestConfig.MaxPartBytes)
            throw new InvalidOperationException($"An object of {objectSize} bytes cannot be copied in {IngestConfig.MaxParts} parts of at most 5 GiB.");
        return size;
    }

    private async Task CopyMultipartAsync(CopyPlan plan, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest
        {
            BucketName = plan.DestinationBucket,
            Key = plan.DestinationKey,
            ContentType = plan.ContentType,
        };
        plan.WriteMetadata(initiate.Metadata);
        var upload = await s3.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false);
        try
        {
            var partSize = ChoosePartSize(plan.Size, config.MultipartCopyPartBytes);
            var partCount = (int)((plan.Size + partSize - 1) / partSize);
            var etags = new PartETag[partCount];
            var options = new ParallelOptions { MaxDegreeOfParallelism = config.MultipartCopyConcurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(1, partCount), options, async (partNumber, token) =>
            {
                var first = (partNumber - 1) * partSize;
                var part = new CopyPartRequest
                {
                    SourceBucket = plan.SourceBucket,
                    SourceKey = plan.SourceKey,
                    SourceVersionId = plan.SourceVersionId,
                    DestinationBucket = plan.DestinationBucket,
                    DestinationKey = plan.DestinationKey,
                    UploadId = upload.UploadId,
                    PartNumber = partNumber,
                    FirstByte = first,
                    LastByte = Math.Min(first + partSize, plan.Size) - 1,
                };
                if (plan.SourceVersionId is null)
                    part.ETagToMatch = [SourceIdentity.Quote(plan.SourceETag)];
                var response = await s3.CopyPartAsync(part, token).ConfigureAwait(false);
                etags[partNumber - 1] = new PartETag(partNumber, response.ETag);
            }).ConfigureAwait(false);

            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = plan.DestinationBucket,
                Key = plan.DestinationKey,
                UploadId = upload.UploadId,
                PartETags = [.. etags],
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbortQuietlyAsync(plan, upload.UploadId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task AbortQuietlyAsync(CopyPlan plan, string uploadId)
    {
        try
        {
            // Not the invocation's token: the abort must run even when the failure was the deadline, within its margin.
            using var timeout = new CancellationTokenSource(TimeBudget.CleanupTimeout(config));
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
            {
                BucketName = plan.DestinationBucket,
                Key = plan.DestinationKey,
                UploadId = uploadId,
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The original failure is what matters; an upload the abort missed is removed by the bucket's
            // AbortIncompleteMultipartUpload lifecycle rule.
        }
    }
}
