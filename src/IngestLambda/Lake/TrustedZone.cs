using Amazon.S3;
using IngestLambda.Configuration;
using IngestLambda.Core.Validation;
using IngestLambda.Lake.Trusted;

namespace IngestLambda.Lake;

/// <summary>
/// The trusted zone's part of a run (docs/contracts.md "Trusted zone"): a row sink for the read, and the verdict when a valid
/// value cannot be written as its Parquet type.
/// </summary>
internal sealed class TrustedZone(IAmazonS3 s3, IngestConfig config)
{
    /// <summary>A sink that writes the source's Parquet as it is read, or null when TRUSTED_FORMAT=none.</summary>
    public TrustedRowSink? SinkFor(SourceVersion source, string bucket) =>
        config.TrustedFormat == TrustedFormat.None
            ? null
            : new TrustedRowSink(dataset => new TrustedWriter(TrustedSchema.For(dataset),
                new TrustedUpload(s3, bucket, config.Layout.TrustedKey(dataset.Name, source.EventTime, source.Key), TimeBudget.CleanupTimeout(config))));

    /// <summary>An otherwise valid file with a value its Parquet type cannot hold is rejected with <c>invalid-value</c>.</summary>
    public ValidationResult Refuse(ValidationResult validation, UnrepresentableValueException refused)
    {
        var excerpt = refused.Value.Length <= 48 ? refused.Value : refused.Value[..48];
        var error = new ValidationError(refused.Row + 1, refused.Column, 0, ErrorCodes.InvalidValue, refused.Message, excerpt); // line 1 is the header
        return validation with { Accepted = false, ErrorCount = 1, Errors = config.Validation.MaxReportedErrors > 0 ? [error] : [] };
    }
}
