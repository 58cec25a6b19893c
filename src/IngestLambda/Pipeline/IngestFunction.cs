using System.Text.Json;
using Amazon.S3;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Events;
using IngestLambda.Lake;
using IngestLambda.Notifications;
using IngestLambda.Observability;

namespace IngestLambda.Pipeline;

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
    private readonly OutcomePublisher _outcomes;

    /// <param name="outcomes">Publishes each file's outcome event; null publishes none.</param>
    internal IngestFunction(IngestConfig config, IAmazonS3 s3, IngestLog log, TimeProvider? time = null, bool ownsClient = false,
        OutcomePublisher? outcomes = null)
    {
        Config = config;
        _s3 = s3;
        _ownsClient = ownsClient;
        _log = log;
        _outcomes = outcomes ?? new OutcomePublisher(null, "", log.Log);
        _pipeline = new IngestPipeline(s3, config, time ?? TimeProvider.System);
    }

    internal IngestConfig Config { get; }

    /// <summary>The S3 client the pipeline uses; <c>backfill</c> lists and pins objects with it.</summary>
    internal IAmazonS3 S3 => _s3;

    /// <summary>Reads and checks configuration from the environment; throws <see cref="ConfigurationException"/> naming the bad variable.</summary>
    public static IngestFunction FromEnvironment() => FromConfig(IngestConfig.FromEnvironment());

    /// <summary>The function for a configuration already read (an operator command that needed a setting first).</summary>
    public static IngestFunction FromConfig(IngestConfig config)
    {
        // Logs go to stderr: Lambda sends both streams to CloudWatch, and `bootstrap invoke` keeps stdout for the result.
        var log = new IngestLog(new JsonLog(Console.Error, config.Log));
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
        return new IngestFunction(config, S3ClientFactory.Create(config), log, ownsClient: true, outcomes: OutcomePublisher.Create(config, log.Log));
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
        return new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(ingestResult, IngestResultJson.Context.IngestResult), writable: false);
    }

    /// <summary>
    /// One record through the pipeline, logged; an S3 or network failure becomes a <c>failed</c> result plus the
    /// exception, so the caller finishes the other records first. Also the entry of <c>backfill</c> and <c>replay</c>.
    /// </summary>
    internal async Task<(RecordResult Result, Exception? Failure)> ProcessRecordAsync(
        IncomingRecord record, ILambdaContext context, RunOptions options, CancellationToken cancellationToken)
    {
        var run = _pipeline.Start(record, context, options);
        RecordResult result;
        Exception? failure = null;
        try
        {
            result = await _pipeline.ProcessAsync(run, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = e;
            result = run.Failed(e);
        }
        _log.Record(run, result);
        if (OutcomeEvents.For(run, result) is var (detailType, detail))
        {
            // Whatever the bus does, the invocation ends before Lambda's deadline, with DEADLINE_MARGIN_MS to spare.
            var untilMargin = context.RemainingTime - Config.DeadlineMargin;
            var timeLeft = untilMargin < Config.SmallRequestTimeout ? untilMargin : Config.SmallRequestTimeout;
            await _outcomes.PublishAsync(detailType, detail, context.FunctionName, context.AwsRequestId, timeLeft, cancellationToken).ConfigureAwait(false);
        }
        return (result, failure);
    }

    /// <summary>
    /// <c>backfill --trusted-only</c> for one object under RAW_PREFIX: its trusted Parquet built from the Raw copy, or
    /// (<paramref name="dryRun"/>) what would be written. An S3 or network failure is a <c>failed</c> result. No outcome
    /// event is published and no metrics are logged: the file was announced and counted when it was accepted.
    /// </summary>
    internal async Task<RecordResult> BuildTrustedAsync(string bucket, string rawKey, ILambdaContext context, bool dryRun, CancellationToken cancellationToken)
    {
        var record = new IncomingRecord { Kind = IncomingRecordKind.ObjectEvent, EventName = "TrustedOnly", Bucket = bucket, EncodedKey = FormUrlKey.ToMetadataValue(rawKey) };
        var run = _pipeline.Start(record, context, RunOptions.Default);
        try
        {
            return await _pipeline.BuildTrustedAsync(run, bucket, rawKey, dryRun, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return run.Failed(e);
        }
    }

    /// <summary>What <see cref="ProcessRecordAsync"/> would do, writing nothing (the operator commands' <c>--dry-run</c>).</summary>
    internal Task<RecordResult> PlanRecordAsync(IncomingRecord record, RunOptions options, CancellationToken cancellationToken) =>
        _pipeline.PlanAsync(_pipeline.Start(record, NoDeadline.Instance, options), cancellationToken);

    /// <summary>A dry run's context: it has no deadline and logs nothing.</summary>
    private sealed class NoDeadline : ILambdaContext
    {
        public static NoDeadline Instance { get; } = new();
        public string AwsRequestId => "dry-run";
        public string FunctionName => "dry-run";
        public TimeSpan RemainingTime => TimeSpan.MaxValue;
    }

    public void Dispose()
    {
        _outcomes.Dispose();
        if (_ownsClient)
            _s3.Dispose();
    }
}

