using System.Text.Json;
using Amazon.S3;
using IngestLambda.Events;
using IngestLambda.Observability;
using IngestLambda.Runtime;

namespace IngestLambda.Ingestion;

/// <summary>
/// The function handler: an S3 event (or an SQS event wrapping S3 events) in, the result JSON out.
/// Contract shared by the runtime loop (Runtime/) and `bootstrap invoke` (Cli/).
/// </summary>
public sealed class IngestFunction : IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly bool _ownsClient;
    private readonly IngestPipeline _pipeline;
    private readonly IngestLog _log;

    internal IngestFunction(IngestConfig config, IAmazonS3 s3, IngestLog log, TimeProvider? time = null, bool ownsClient = false)
    {
        Config = config;
        _s3 = s3;
        _ownsClient = ownsClient;
        _log = log;
        _pipeline = new IngestPipeline(s3, config, time ?? TimeProvider.System);
    }

    internal IngestConfig Config { get; }

    /// <summary>The S3 client the pipeline uses; <c>backfill</c> lists and pins objects with it.</summary>
    internal IAmazonS3 S3 => _s3;

    /// <summary>Reads and checks configuration from the environment; throws <see cref="ConfigurationException"/> naming the bad variable.</summary>
    public static IngestFunction FromEnvironment()
    {
        var config = IngestConfig.FromEnvironment();
        // Logs go to stderr: Lambda sends both streams to CloudWatch, and `bootstrap invoke` keeps stdout for the result.
        var log = new IngestLog(new JsonLog(Console.Error, LogSettings.FromEnvironment() with { Minimum = config.LogLevel }));
        if (log.IsEnabled(LogLevel.Debug))
        {
            log.Message(LogLevel.Debug,
                $"configuration: landing '{config.Prefixes.Landing}', raw '{config.Prefixes.Raw}', quarantine '{config.Prefixes.Quarantine}', "
                + $"manifests '{config.Prefixes.Manifest}', destination bucket {config.DestinationBucket ?? "(the event's)"}, "
                + $"max line {config.Validation.MaxLineBytes} B, max reported errors {config.Validation.MaxReportedErrors}, "
                + $"datasets {string.Join(", ", config.Validation.Schemas.Datasets.Select(d => d.Name))}, "
                + $"multipart above {config.MultipartCopyThresholdBytes} B in {config.MultipartCopyPartBytes} B parts, "
                + $"S3 endpoint {config.S3Endpoint?.ToString() ?? "(AWS)"}");
        }
        return new IngestFunction(config, S3ClientFactory.Create(config), log, ownsClient: true);
    }

    /// <summary>
    /// Handles one invocation and returns the result JSON (<see cref="IngestResult"/>). Records are processed in order;
    /// when S3 failed for any of them, throws <see cref="IngestFailedException"/> after the others are done, so that
    /// Lambda retries; an SQS batch instead answers its failed messages in <c>batchItemFailures</c>. A payload that is
    /// not an event this function knows is one skipped record saying why.
    /// </summary>
    public async Task<Stream> HandleAsync(Stream input, ILambdaContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);

        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var records = EventParser.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));

        var results = new List<RecordResult>(records.Count);
        var failures = new List<Exception>();
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (result, failure) = await ProcessRecordAsync(record, context, RunOptions.Default, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
                failures.Add(failure);
            results.Add(result);
        }

        // An SQS batch names its failed messages and succeeds, so only they are redelivered (ReportBatchItemFailures);
        // any other event fails the invocation so that Lambda retries it.
        var ingestResult = new IngestResult
        {
            Records = results,
            BatchItemFailures = BatchItemFailure.Of(results, r => r.SqsMessageId, r => r.Outcome == Outcomes.Failed),
        };
        if (failures.Count > 0 && ingestResult.BatchItemFailures is null)
            throw new IngestFailedException(ingestResult, failures);
        return new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(ingestResult, IngestResultJsonContext.Default.IngestResult), writable: false);
    }

    /// <summary>
    /// One record through the pipeline, logged; an S3 or network failure becomes a <c>failed</c> result plus the
    /// exception, so the caller finishes the other records first. Also the entry of <c>backfill</c> and <c>replay</c>.
    /// </summary>
    internal async Task<(RecordResult Result, Exception? Failure)> ProcessRecordAsync(
        IncomingRecord record, ILambdaContext context, RunOptions options, CancellationToken cancellationToken)
    {
        RecordResult result;
        StepTimings timings;
        Exception? failure = null;
        try
        {
            (result, timings) = await _pipeline.ProcessAsync(record, context, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = e;
            timings = StepTimings.None;
            result = new RecordResult
            {
                Bucket = record.Bucket,
                Key = FormUrlKey.TryDecode(record.EncodedKey ?? "", out var key, out _) ? key : record.EncodedKey,
                VersionId = record.VersionId,
                ETag = record.ETag,
                SqsMessageId = record.SqsMessageId,
                Outcome = Outcomes.Failed,
                Message = $"{e.GetType().Name}: {e.Message}",
            };
        }
        _log.Record(context, result, timings);
        return (result, failure);
    }

    /// <summary>What <see cref="ProcessRecordAsync"/> would do, writing nothing (the operator commands' <c>--dry-run</c>).</summary>
    internal Task<RecordResult> PlanRecordAsync(IncomingRecord record, RunOptions options, CancellationToken cancellationToken) =>
        _pipeline.PlanAsync(record, options, cancellationToken);

    public void Dispose()
    {
        if (_ownsClient)
            _s3.Dispose();
    }
}

/// <summary>A setting is missing or malformed; the message names the environment variable.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
