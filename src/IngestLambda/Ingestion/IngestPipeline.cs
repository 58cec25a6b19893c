using IngestLambda.Core.Lake;
using IngestLambda.Events;
using IngestLambda.Runtime;

namespace IngestLambda.Ingestion;

/// <summary>Milliseconds spent in the two expensive steps, for logs and metrics.</summary>
internal sealed record StepTimings(long ValidationMs, long CopyMs)
{
    public static StepTimings None { get; } = new(0, 0);
}

/// <summary>
/// One record from event to outcome (DESIGN.md "Flow"). Validation problems and a source that changed or vanished
/// are outcomes; S3 and network failures throw, and every write is idempotent so the retry is safe. The steps:
/// <list type="number">
/// <item><see cref="Admission"/> (no S3): decode and guard the key; skip what is not a landed file;</item>
/// <item><see cref="LakeLedger"/>: a finished earlier run for this version → duplicate, without reading (unless it was
///   rejected and <see cref="RunOptions.ReprocessRejected"/> asks to validate it again); a version
///   that is no longer current → superseded or missing;</item>
/// <item><see cref="SourceReader"/>: read once, pinned to the version, streamed into the validator; before the body
///   is read, <see cref="TimeBudget"/> refuses an object whose real size cannot be read and copied before the deadline;</item>
/// <item><see cref="RecordClaims"/>: the destination is known, so claim it; runs of one destination take turns, and a
///   run that finds the work finished while waiting → duplicate;</item>
/// <item><see cref="LakeWriter"/>, under the claim: check the version is still current and no newer upload's copy is
///   in place, copy server-side unless already there, then write the report last.</item>
/// </list>
/// Every S3 call stops DEADLINE_MARGIN_MS before the invocation's deadline (<see cref="IngestBeforeDeadlineAsync"/>).
/// </summary>
internal sealed class IngestPipeline
{
    private readonly IngestConfig _config;
    private readonly TimeProvider _time;
    private readonly LakeLayout _layout;
    private readonly Admission _admission;
    private readonly LakeLedger _ledger;
    private readonly SourceReader _reader;
    private readonly RecordClaims _claims;
    private readonly LakeWriter _writer;
    private readonly TimeBudget _budget;

    public IngestPipeline(Amazon.S3.IAmazonS3 s3, IngestConfig config, TimeProvider time)
    {
        (_config, _time) = (config, time);
        _layout = new LakeLayout(config.Prefixes);
        _admission = new Admission(config, time);
        _ledger = new LakeLedger(s3, config);
        _reader = new SourceReader(s3, config);
        _claims = new RecordClaims(s3, _ledger, config, time);
        _writer = new LakeWriter(s3, config, _ledger, time);
        _budget = new TimeBudget(config);
    }

    public Task<(RecordResult Result, StepTimings Timings)> ProcessAsync(IncomingRecord record, ILambdaContext context, CancellationToken cancellationToken) =>
        ProcessAsync(record, context, RunOptions.Default, cancellationToken);

    public async Task<(RecordResult Result, StepTimings Timings)> ProcessAsync(IncomingRecord record, ILambdaContext context, RunOptions options, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var result = RecordResults.Start(record);
        var timings = StepTimings.None;
        var admission = _admission.Admit(record);
        if (admission.Source is { } source)
            (result, timings) = await IngestBeforeDeadlineAsync(source, result with { Key = source.Key }, context, options, started, cancellationToken).ConfigureAwait(false);
        else
            result = result with { Message = admission.SkipReason };
        return (result with { DurationMs = (long)_time.GetElapsedTime(started).TotalMilliseconds }, timings);
    }

    /// <summary>
    /// What <see cref="ProcessAsync(IncomingRecord, ILambdaContext, RunOptions, CancellationToken)"/> would do, writing
    /// nothing (<c>backfill --dry-run</c>): the object is read and validated, so the verdict and destination are real.
    /// </summary>
    public async Task<RecordResult> PlanAsync(IncomingRecord record, RunOptions options, CancellationToken cancellationToken)
    {
        var result = RecordResults.Start(record);
        var admission = _admission.Admit(record);
        if (admission.Source is not { } source)
            return result with { Message = admission.SkipReason };
        var (judged, _, verdict) = await JudgeAsync(source, result with { Key = source.Key }, options, remainingTime: null, cancellationToken).ConfigureAwait(false);
        if (verdict is null)
            return judged;
        var plan = $"dry run: would write s3://{verdict.Destination.Bucket}/{verdict.Destination.DataKey} and {verdict.Destination.ReportKey}";
        return judged with { Message = judged.Message is null ? plan : $"{plan}; {judged.Message}" };
    }

    /// <summary>The verdict on a version read, where it goes, and the rejection it replaces when reprocessed.</summary>
    private sealed record Verdict(ValidatedObject Read, Destination Destination, FinishedRun? Rejected);

    /// <summary>
    /// Every step before a write: an earlier run, the current version, the read and its verdict. Either a final result
    /// (duplicate, superseded, missing, still rejected) or the verdict to write.
    /// </summary>
    private async Task<(RecordResult Result, StepTimings Timings, Verdict? ToWrite)> JudgeAsync(
        AdmittedObject source, RecordResult result, RunOptions options, Func<TimeSpan>? remainingTime, CancellationToken cancellationToken)
    {
        var destinationBucket = _config.DestinationBucket ?? source.Bucket;
        var earlier = await _ledger.FindFinishedRunAsync(source, destinationBucket, cancellationToken).ConfigureAwait(false);
        // An accepted version is never validated again; a rejected one only when the operator asks (after a schema fix).
        if (earlier is not null && (earlier.Place.Accepted || !options.ReprocessRejected))
            return (RecordResults.Duplicate(result, source, earlier), StepTimings.None, null);
        if (await _ledger.CheckCurrentAsync(source, cancellationToken).ConfigureAwait(false) is { } stale)
            return (RecordResults.Gone(result, stale), StepTimings.None, null);

        var budget = remainingTime is null ? null : await ReadBudgetAsync(source, remainingTime, cancellationToken).ConfigureAwait(false);
        var (read, gone) = await _reader.ReadAsync(source, budget, cancellationToken).ConfigureAwait(false);
        if (read is null)
            return (RecordResults.Gone(result, gone!), StepTimings.None, null);
        var destination = Destination.For(_layout, destinationBucket, read.Validation.Accepted ? read.Validation.Dataset : null, source);
        result = RecordResults.Verdict(result, read, destination);
        var timings = new StepTimings(read.ValidationMs, 0);
        if (earlier is not null && !destination.Accepted) // reprocessed and still rejected: the one quarantine report stays as it is
            return (RecordResults.StillRejected(result, earlier), timings, null);
        return (result, timings, new Verdict(read, destination, earlier));
    }

    /// <summary>
    /// Whether there is time to read and copy is decided by the object's real size, not the event's (a hint that may
    /// be anything). When the event's size says there is no time, a HEAD asks the object, so a large object is
    /// refused without a GET; whatever the event said, the returned check refuses on the GET's Content-Length before
    /// the body is read.
    /// </summary>
    private async Task<Action<long>> ReadBudgetAsync(AdmittedObject source, Func<TimeSpan> remainingTime, CancellationToken cancellationToken)
    {
        if (source.Size is { } hinted && !_budget.HasTimeToReadAndCopy(hinted, remainingTime())
            && await _reader.SizeAsync(source, cancellationToken).ConfigureAwait(false) is { } size)
        {
            _budget.EnsureTimeToReadAndCopy(source, size, remainingTime());
        }
        return size => _budget.EnsureTimeToReadAndCopy(source, size, remainingTime());
    }

    /// <summary>
    /// Every S3 call of the record gets a token cancelled DEADLINE_MARGIN_MS before Lambda's deadline (which the
    /// context has from Lambda-Runtime-Deadline-Ms), so the margin is left to abort, release, log and report the error.
    /// </summary>
    private async Task<(RecordResult Result, StepTimings Timings)> IngestBeforeDeadlineAsync(
        AdmittedObject source, RecordResult result, ILambdaContext context, RunOptions options, long started, CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource(_budget.UntilStop(context.RemainingTime), _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop.Token);
        try
        {
            return await IngestAsync(source, result, context, options, started, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DeadlineException(
                $"Stopped work on s3://{source.Bucket}/{source.Key} {_config.DeadlineMargin.TotalMilliseconds:F0} ms before the invocation's deadline "
                + "(DEADLINE_MARGIN_MS): a multipart copy in progress was aborted and the claim released; the retry will start clean.", e);
        }
    }

    private async Task<(RecordResult Result, StepTimings Timings)> IngestAsync(
        AdmittedObject source, RecordResult result, ILambdaContext context, RunOptions options, long started, CancellationToken cancellationToken)
    {
        var (judged, timings, verdict) = await JudgeAsync(source, result, options, () => context.RemainingTime, cancellationToken).ConfigureAwait(false);
        if (verdict is null)
            return (judged, timings);
        var (read, destination) = (verdict.Read, verdict.Destination);
        result = judged;

        // From here on one run at a time per destination: duplicates delivered at once must not all copy.
        var request = new ClaimRequest(destination.Bucket, destination.ClaimKey, read.Identity, context.AwsRequestId,
            _budget.ClaimLease(read.Size, context.RemainingTime), _budget.ClaimWait(context.RemainingTime));
        var claim = await _claims.AcquireAsync(request, () => _ledger.IsFinishedAsync(destination, read.Identity, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        if (claim is null)
        {
            return (RecordResults.Duplicate(result, $"already ingested as {result.Outcome} by a concurrent run (s3://{destination.Bucket}/{destination.DataKey})"),
                new StepTimings(read.ValidationMs, 0));
        }
        try
        {
            return await _writer.WriteAsync(new WriteJob(source, read, destination, result, context, started, ReprocessedFrom: verdict.Rejected?.Place), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _claims.ReleaseAsync(claim).ConfigureAwait(false);
        }
    }
}
