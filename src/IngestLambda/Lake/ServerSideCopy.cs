using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Configuration;

namespace IngestLambda.Lake;

/// <summary>
/// Server-side copies, so no byte of the object passes through the function a second time. Objects above the
/// threshold are copied with parallel UploadPartCopy; any failure aborts the upload so no parts stay behind. Every
/// copy asks S3 for a full-object CRC64NVME, so the copy carries the manifest's <c>crc64nvme</c> for anyone to check
/// (docs/reliability.md "Integrity").
/// </summary>
internal sealed class ServerSideCopy(IAmazonS3 s3, IngestConfig config)
{
    /// <summary>
    /// Copies the pinned <paramref name="source"/> version (by version id, or without versioning If-Match on its ETag)
    /// to <paramref name="bucket"/>/<paramref name="key"/>, replacing the metadata with what <paramref name="writeMetadata"/> writes.
    /// <paramref name="crc64Nvme"/>, the read's CRC64NVME, goes with a multipart copy's completion, so S3 refuses to
    /// assemble a copy whose bytes differ from those validated.
    /// </summary>
    public Task CopyAsync(SourceVersion source, string? crc64Nvme, string bucket, string key, Action<MetadataCollection> writeMetadata, CancellationToken cancellationToken) =>
        source.StoredSize > config.MultipartCopyThresholdBytes && source.StoredSize > 0
            ? CopyMultipartAsync(source, crc64Nvme, bucket, key, writeMetadata, cancellationToken)
            : CopySingleAsync(source, bucket, key, writeMetadata, cancellationToken);

    private async Task CopySingleAsync(SourceVersion source, string bucket, string key, Action<MetadataCollection> writeMetadata, CancellationToken cancellationToken)
    {
        var request = new CopyObjectRequest
        {
            SourceBucket = source.Bucket,
            SourceKey = source.Key,
            SourceVersionId = source.VersionId,
            ETagToMatch = source.ETagCondition,
            DestinationBucket = bucket,
            DestinationKey = key,
            MetadataDirective = S3MetadataDirective.REPLACE,
            ContentType = source.ContentType,
            ChecksumAlgorithm = ChecksumAlgorithm.CRC64NVME, // S3 computes it over the copy's bytes
        };
        writeMetadata(request.Metadata);
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

    private async Task CopyMultipartAsync(SourceVersion source, string? crc64Nvme, string bucket, string key, Action<MetadataCollection> writeMetadata,
        CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest
        {
            BucketName = bucket, Key = key, ContentType = source.ContentType,
            // One CRC64NVME of the whole copy (S3 combines the parts' CRCs), not a checksum of checksums.
            ChecksumAlgorithm = ChecksumAlgorithm.CRC64NVME, ChecksumType = ChecksumType.FULL_OBJECT,
        };
        writeMetadata(initiate.Metadata);
        var upload = await s3.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false);
        try
        {
            var size = source.StoredSize;
            var partSize = ChoosePartSize(size, config.MultipartCopyPartBytes);
            var partCount = (int)((size + partSize - 1) / partSize);
            var etags = new PartETag[partCount];
            var options = new ParallelOptions { MaxDegreeOfParallelism = config.MultipartCopyConcurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(1, partCount), options, async (partNumber, token) =>
            {
                var first = (partNumber - 1) * partSize;
                var part = new CopyPartRequest
                {
                    SourceBucket = source.Bucket,
                    SourceKey = source.Key,
                    SourceVersionId = source.VersionId,
                    DestinationBucket = bucket,
                    DestinationKey = key,
                    UploadId = upload.UploadId,
                    PartNumber = partNumber,
                    FirstByte = first,
                    LastByte = Math.Min(first + partSize, size) - 1,
                };
                if (source.ETagCondition is { } eTag)
                    part.ETagToMatch = [eTag];
                var response = await s3.CopyPartAsync(part, token).ConfigureAwait(false);
                etags[partNumber - 1] = new PartETag(partNumber, response.ETag) { ChecksumCRC64NVME = response.ChecksumCRC64NVME };
            }).ConfigureAwait(false);

            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = [.. etags],
                ChecksumType = ChecksumType.FULL_OBJECT,
                ChecksumCRC64NVME = crc64Nvme, // S3 checks the assembled copy against the bytes the read validated
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbortQuietlyAsync(bucket, key, upload.UploadId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task AbortQuietlyAsync(string bucket, string key, string uploadId)
    {
        try
        {
            // Not the invocation's token: the abort must run even when the failure was the deadline, within its margin.
            using var timeout = new CancellationTokenSource(TimeBudget.CleanupTimeout(config));
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
            {
                BucketName = bucket,
                Key = key,
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
