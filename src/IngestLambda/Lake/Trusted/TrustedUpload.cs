using Amazon.S3;
using Amazon.S3.Model;

namespace IngestLambda.Lake.Trusted;

/// <summary>
/// The S3 side of one trusted Parquet object: parts uploaded as they fill, the object visible only on
/// <see cref="CompleteAsync"/>. A file smaller than one part goes up as one PUT at completion, so it never opens an
/// upload. <see cref="AbortAsync"/> leaves no object and no open upload.
/// </summary>
internal sealed class TrustedUpload(IAmazonS3 s3, string bucket, string key, TimeSpan cleanupTimeout)
{
    public const string ContentType = "application/vnd.apache.parquet";

    private readonly List<PartETag> _parts = [];
    private string? _uploadId;

    public string Bucket => bucket;
    public string Key => key;

    /// <summary>Metadata the object carries (set before the first part).</summary>
    public Dictionary<string, string> Metadata { get; } = [];

    /// <summary>The upload's id once a part has gone up (tests look for it among the open uploads).</summary>
    public string? UploadId => _uploadId;

    /// <summary>Uploads <paramref name="part"/>, read before this returns (the caller reuses the buffer).</summary>
    public async Task UploadPartAsync(ArraySegment<byte> part, CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            var initiate = new InitiateMultipartUploadRequest
            {
                BucketName = bucket, Key = key, ContentType = ContentType,
                ChecksumAlgorithm = ChecksumAlgorithm.CRC64NVME, ChecksumType = ChecksumType.FULL_OBJECT,
            };
            foreach (var (name, value) in Metadata)
                initiate.Metadata[name] = value;
            _uploadId = (await s3.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false)).UploadId;
        }
        var number = _parts.Count + 1;
        using var body = new MemoryStream(part.Array!, part.Offset, part.Count, writable: false);
        var response = await s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = key, UploadId = _uploadId, PartNumber = number, InputStream = body,
            ChecksumAlgorithm = ChecksumAlgorithm.CRC64NVME,
        }, cancellationToken).ConfigureAwait(false);
        _parts.Add(new PartETag(number, response.ETag) { ChecksumCRC64NVME = response.ChecksumCRC64NVME });
    }

    /// <summary>Uploads <paramref name="last"/> (the footer's part, any size) and makes the object visible.</summary>
    public async Task CompleteAsync(ArraySegment<byte> last, CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            using var body = new MemoryStream(last.Array!, last.Offset, last.Count, writable: false);
            var put = new PutObjectRequest
            {
                BucketName = bucket, Key = key, InputStream = body, ContentType = ContentType, ChecksumAlgorithm = ChecksumAlgorithm.CRC64NVME,
            };
            foreach (var (name, value) in Metadata)
                put.Metadata[name] = value;
            await s3.PutObjectAsync(put, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (last.Count > 0)
            await UploadPartAsync(last, cancellationToken).ConfigureAwait(false);
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = key, UploadId = _uploadId, PartETags = [.. _parts], ChecksumType = ChecksumType.FULL_OBJECT,
        }, cancellationToken).ConfigureAwait(false);
        _uploadId = null;
        _parts.Clear();
    }

    /// <summary>
    /// Aborts the open upload, if any, with its own timeout rather than the run's token: it must run when the failure
    /// was the deadline or a cancellation. An abort that fails is left to the bucket's AbortIncompleteMultipartUpload rule.
    /// </summary>
    public async Task AbortAsync()
    {
        if (_uploadId is not { } uploadId)
            return;
        _uploadId = null;
        try
        {
            using var timeout = new CancellationTokenSource(cleanupTimeout);
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The failure that led here is what the run reports.
        }
    }
}
