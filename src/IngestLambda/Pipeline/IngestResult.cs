using System.Text.Json.Serialization;
using IngestLambda.Core.Reports;

namespace IngestLambda.Pipeline;

/// <summary>
/// The result JSON of one invocation, one entry per record in event order:
/// <code>
/// {"records":[{"bucket":"lake","key":"landing/movies.csv","versionId":null,"eTag":"9b2c…","sqsMessageId":null,
///   "outcome":"accepted","dataset":"Movies","destinationBucket":"lake",
///   "destinationKey":"Raw/Local/CSV/Movies/2026/11/26/movies.csv","reportKey":"manifests/Movies/2026/11/26/movies.csv.json",
///   "rows":2000,"bytes":327258,"errorCount":0,"message":null,"durationMs":41}]}
/// </code>
/// Every property is always present (null when it does not apply); an SQS batch adds <c>batchItemFailures</c>. <c>key</c> is the decoded key (the raw event
/// text when it could not be decoded); <c>message</c> explains skipped/superseded/missing/duplicate outcomes and
/// the first errors of a rejected file.
/// </summary>
public sealed class IngestResult
{
    public required IReadOnlyList<RecordResult> Records { get; init; }

    /// <summary>
    /// SQS batches only (null otherwise): the messages whose records failed, <c>[{"itemIdentifier":"&lt;messageId&gt;"}]</c>,
    /// empty when none did. Lambda's SQS event source (with ReportBatchItemFailures) redelivers just these.
    /// </summary>
    public IReadOnlyList<Events.BatchItemFailure>? BatchItemFailures { get; init; }
}

public sealed record RecordResult
{
    public string? Bucket { get; init; }
    public string? Key { get; init; }
    public string? VersionId { get; init; }
    public string? ETag { get; init; }
    public string? SqsMessageId { get; init; }
    public required string Outcome { get; init; }
    public string? Dataset { get; init; }
    public string? DestinationBucket { get; init; }
    public string? DestinationKey { get; init; }
    public string? ReportKey { get; init; }
    public long? Rows { get; init; }
    public long? Bytes { get; init; }
    public long? ErrorCount { get; init; }
    public string? Message { get; init; }
    public long DurationMs { get; init; }
}

/// <summary>The result JSON with the one JSON option set (<see cref="Core.JsonDefaults"/>): keys and messages as they are.</summary>
public static class IngestResultJson
{
    public static IngestResultJsonContext Context { get; } = new(Core.JsonDefaults.Apply(IngestResultJsonContext.Default.Options));
}

/// <summary>Source-generated (AOT-safe) JSON for the result; write it through <see cref="IngestResultJson"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IngestResult))]
public sealed partial class IngestResultJsonContext : JsonSerializerContext;

/// <summary>
/// S3 or the network failed for at least one record. Thrown after every other record was processed, so that Lambda
/// retries the invocation; <see cref="PartialResult"/> still says what happened to each record.
/// </summary>
public sealed class IngestFailedException : AggregateException
{
    /// <summary>Cap of <see cref="Message"/> (the error report's errorMessage and the alarm's text).</summary>
    public const int MaxMessageChars = 4096;
    private const int MaxRecordMessageChars = 300;

    private readonly string _message;

    public IngestFailedException(IngestResult partialResult, IReadOnlyList<Exception> failures)
        : base(failures)
    {
        PartialResult = partialResult;
        _message = Describe(partialResult);
    }

    public IngestResult PartialResult { get; }

    /// <summary>
    /// Names each failed record once, capped at <see cref="MaxMessageChars"/>. (AggregateException's own Message
    /// appends every inner exception's message, repeating each failure and growing without bound; the inner
    /// exceptions travel as the error report's causes instead.)
    /// </summary>
    public override string Message => _message;

    private static string Describe(IngestResult result)
    {
        var failed = result.Records.Where(r => r.Outcome == Outcomes.Failed).ToList();
        var distinct = failed.DistinctBy(r => (r.Bucket, r.Key, r.VersionId)).ToList();
        var text = new System.Text.StringBuilder($"{failed.Count} of {result.Records.Count} record(s) failed and must be retried: ");
        for (var i = 0; i < distinct.Count; i++)
        {
            var reason = distinct[i].Message ?? "failed";
            if (reason.Length > MaxRecordMessageChars)
                reason = reason[..MaxRecordMessageChars] + "…";
            var item = $"{(i == 0 ? "" : "; ")}s3://{distinct[i].Bucket}/{distinct[i].Key}: {reason}";
            var more = $"; and {distinct.Count - i} more (each has a log line with outcome failed)";
            if (text.Length + item.Length + (i + 1 < distinct.Count ? more.Length : 0) > MaxMessageChars)
            {
                text.Append(more);
                break;
            }
            text.Append(item);
        }
        return text.ToString();
    }
}
