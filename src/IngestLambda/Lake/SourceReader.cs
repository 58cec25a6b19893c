using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Configuration;
using IngestLambda.Core.Validation;

namespace IngestLambda.Lake;

/// <summary>Reads the landed object once, pinned to the event's version, streamed straight into the validator.</summary>
internal sealed class SourceReader(IAmazonS3 s3, IngestConfig config)
{
    /// <summary>The object's size by HEAD, pinned as the read is, or null when it is gone (the read then says how).</summary>
    public async Task<long?> SizeAsync(SourceVersion source, CancellationToken cancellationToken)
    {
        var head = new GetObjectMetadataRequest { BucketName = source.Bucket, Key = source.Key, VersionId = source.VersionId, EtagToMatch = source.ETagCondition };
        try
        {
            return (await s3.GetObjectMetadataAsync(head, cancellationToken).ConfigureAwait(false)).ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed or HttpStatusCode.MethodNotAllowed)
        {
            return null;
        }
    }

    /// <summary>
    /// The version read (pinned to what S3 served) and its validation, or why it is gone (412 superseded, 404 missing).
    /// <paramref name="beforeReading"/> gets the object's real size (the GET's Content-Length) before a byte of the body
    /// is read, and may refuse by throwing. <paramref name="rows"/> gets each valid row's values in the same read (the trusted zone).
    /// </summary>
    public async Task<(SourceVersion? Read, ValidationResult? Validation, SourceGone? Gone)> ReadAsync(
        SourceVersion source, Action<long>? beforeReading, CancellationToken cancellationToken, IRowSink? rows = null)
    {
        var get = new GetObjectRequest
        {
            BucketName = source.Bucket, Key = source.Key, VersionId = source.VersionId, EtagToMatch = source.ETagCondition,
            ChecksumMode = ChecksumMode.ENABLED, // S3's stored checksum, checked by the validator's own pass (StoredChecksums)
        };
        try
        {
            using var response = await s3.GetObjectAsync(get, cancellationToken).ConfigureAwait(false);
            beforeReading?.Invoke(response.ContentLength);
            // From RANGED_READ_THRESHOLD_BYTES on, the rest comes as parallel ranges of this version (RangedObjectStream).
            await using var body = RangedObjectStream.Open(s3, config, get, response, cancellationToken);
            // The key says what the object is (docs/contracts.md "Compressed files"): a .csv.gz is validated through
            // decompression and copied as stored.
            // A composite (multipart) checksum is checked part by part: the parts are listed before the first byte is read.
            var expected = await CompositeParts.ListAsync(s3, get, response, StoredChecksums.From(response), cancellationToken).ConfigureAwait(false);
            var validation = await CsvValidator.ValidateAsync(body, ContentEncodings.FromName(source.Key), OptionsFor(source), expected, rows, cancellationToken)
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
        catch (SourceChangedException e)
        {
            return (null, null, e.Gone);
        }
    }

    /// <summary>The validation settings for this object: only the contracts whose landing sub-prefix covers its path are candidates.</summary>
    private ValidationOptions OptionsFor(SourceVersion source)
    {
        var schemas = config.Validation.Schemas.ForLandingPath(source.Path);
        return ReferenceEquals(schemas, config.Validation.Schemas) ? config.Validation : config.Validation with { Schemas = schemas };
    }
}
