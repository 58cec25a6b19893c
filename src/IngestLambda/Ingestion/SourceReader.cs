using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Core.Validation;

namespace IngestLambda.Ingestion;

/// <summary>The landed object as read once: its verdict, the exact version read, and what the copy needs.</summary>
internal sealed record ValidatedObject(ValidationResult Validation, SourceIdentity Identity, long Size, string? ContentType, long ValidationMs);

/// <summary>Reads the landed object once, pinned to the event's version, streamed straight into the validator.</summary>
internal sealed class SourceReader(IAmazonS3 s3, IngestConfig config)
{
    /// <summary>The validated object, or why it is gone (412 superseded, 404 missing).</summary>
    public async Task<(ValidatedObject? Read, SourceGone? Gone)> ReadAsync(AdmittedObject source, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var get = new GetObjectRequest { BucketName = source.Bucket, Key = source.Key, VersionId = source.VersionId };
        if (source.VersionId is null && source.ETag is not null)
            get.EtagToMatch = SourceIdentity.Quote(source.ETag);
        try
        {
            using var response = await s3.GetObjectAsync(get, cancellationToken).ConfigureAwait(false);
            // The key says what the object is (DATA.md): a .csv.gz is validated through decompression and copied as stored.
            var validation = await CsvValidator.ValidateAsync(response.ResponseStream, ContentEncodings.FromName(source.Key), OptionsFor(source.Key), cancellationToken)
                .ConfigureAwait(false);
            var size = response.ContentLength;
            if (validation.Bytes != size)
                throw new IOException($"Read {validation.Bytes} bytes of s3://{source.Bucket}/{source.Key} but S3 announced {size}.");
            // Pin the copy to what was read: the response's version id is firmer than an ETag (moto ignores CopySourceIfMatch).
            var identity = new SourceIdentity(source.Key, source.VersionId ?? SourceIdentity.RealVersionId(response.VersionId),
                SourceIdentity.Unquote(response.ETag));
            return (new ValidatedObject(validation, identity, size, response.Headers.ContentType, clock.ElapsedMilliseconds), null);
        }
        catch (AmazonS3Exception e) when (SourceGone.From(e) is { } gone)
        {
            return (null, gone);
        }
    }

    /// <summary>The validation settings for this landing key: only the contracts whose landing prefix covers it are candidates.</summary>
    private ValidationOptions OptionsFor(string key)
    {
        var landingPath = key.StartsWith(config.Prefixes.Landing, StringComparison.Ordinal) ? key[config.Prefixes.Landing.Length..] : key;
        var schemas = config.Validation.Schemas.ForLandingPath(landingPath);
        return ReferenceEquals(schemas, config.Validation.Schemas) ? config.Validation : config.Validation with { Schemas = schemas };
    }
}
