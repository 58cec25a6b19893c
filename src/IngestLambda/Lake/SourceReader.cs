using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Configuration;
using IngestLambda.Core.Validation;

namespace IngestLambda.Lake;

/// <summary>Reads the landed object once, pinned to the event's version, streamed straight into the validator.</summary>
internal sealed class SourceReader(IAmazonS3 s3, IngestConfig config)
{
    /// <summary>The version read (pinned to what S3 served) and its validation, or why it is gone (412 superseded, 404 missing).</summary>
    public async Task<(SourceVersion? Read, ValidationResult? Validation, SourceGone? Gone)> ReadAsync(SourceVersion source, CancellationToken cancellationToken)
    {
        var get = new GetObjectRequest
        {
            BucketName = source.Bucket, Key = source.Key, VersionId = source.VersionId, EtagToMatch = source.ETagCondition,
            ChecksumMode = ChecksumMode.ENABLED, // S3's stored checksum, checked by the validator's own pass (StoredChecksums)
        };
        try
        {
            using var response = await s3.GetObjectAsync(get, cancellationToken).ConfigureAwait(false);
            // The key says what the object is (docs/contracts.md "Compressed files"): a .csv.gz is validated through
            // decompression and copied as stored.
            var expected = StoredChecksums.From(response);
            var validation = await CsvValidator.ValidateAsync(response.ResponseStream, ContentEncodings.FromName(source.Key), config.Validation, expected, cancellationToken)
                .ConfigureAwait(false);
            if (validation.Bytes != response.ContentLength)
                throw new IOException($"Read {validation.Bytes} bytes of s3://{source.Bucket}/{source.Key} but S3 announced {response.ContentLength}.");
            StoredChecksums.EnsureMatched(validation, expected, source);
            // Pin the copy to what was read: the response's version id is firmer than an ETag (moto ignores CopySourceIfMatch).
            return (source.PinnedTo(response.VersionId, response.ETag, response.ContentLength, response.Headers.ContentType), validation, null);
        }
        catch (AmazonS3Exception e) when (SourceGone.From(e) is { } gone)
        {
            return (null, null, gone);
        }
    }
}
