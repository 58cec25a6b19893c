using Amazon.S3;
using IngestLambda.Configuration;
using IngestLambda.Events;
using IngestLambda.Lake;
using IngestLambda.Lake.Trusted;

namespace IngestLambda.Pipeline;

/// <summary>
/// One record from event to outcome (docs/contracts.md "Flow"). Validation problems and a source that changed or
/// vanished are outcomes; S3 and network failures throw, and every write is idempotent so the retry is safe. The steps:
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
    private readonly Admission _admission;
    private readonly LakeLedger _ledger;
    private readonly SourceReader _reader;
    private readonly RecordClaims _claims;
    private readonly LakeWriter _writer;
    private readonly TimeBudget _budget;
    private readonly TrustedZone _trusted;
    private readonly TrustedBackfill _trustedOnly;

    public IngestPipeline(IAmazonS3 s3, IngestConfig config, TimeProvider time)
    {
        (_config, _time) = (config, time);
        _budget = new TimeBudget(config);
        _admission = new Admission(config, time);
        _ledger = new LakeLedger(s3, config);
        _reader = new SourceReader(s3, config);
        _trusted = new TrustedZone(s3, config);
        _claims = new RecordClaims(s3, _ledger, config, _budget, time);
        _writer = new LakeWriter(s3, config, _ledger, _budget, time);
        _trustedOnly = new TrustedBackfill(config, _ledger, _reader, _claims, _writer, _trusted, _budget);
    }

    /// <summary>A new run of <paramref name="record"/>, started now.</summary>
    public RecordRun Start(IncomingRecord record, ILambdaContext context, RunOptions options) => new(record, context, options, _time.GetTimestamp());

    public async Task<RecordResult> ProcessAsync(RecordRun run, CancellationToken cancellationToken)
    {
        var result = Admit(run) ?? await IngestBeforeDeadlineAsync(run, cancellationToken).ConfigureAwait(false);
        return result with { DurationMs = (long)_time.GetElapsedTime(run.Started).TotalMilliseconds };
    }

    /// <summary>
    /// What <see cref="ProcessAsync"/> would do, writing nothing (<c>backfill --dry-run</c>): the object is read and
    /// validated, so the verdict and destination are real.
    /// </summary>
    public async Task<RecordResult> PlanAsync(RecordRun run, CancellationToken cancellationToken)
    {
        if (Admit(run) is { } skipped)
            return skipped;
        if (await JudgeAsync(run, remainingTime: null, cancellationToken).ConfigureAwait(false) is { } final)
            return final;
        var destination = run.Verdict!.Destination;
        return run.Judged($"dry run: would write s3://{destination.Bucket}/{destination.DataKey} and {destination.ReportKey}");
    }

    /// <summary>
    /// <c>backfill --trusted-only</c> for one copy under RAW_PREFIX (<see cref="TrustedBackfill"/>): its Parquet from its
    /// Raw bytes, or (<paramref name="dryRun"/>) what would be written. No admission: the copy was filed already.
    /// </summary>
    public async Task<RecordResult> BuildTrustedAsync(RecordRun run, string bucket, string rawKey, bool dryRun, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _trustedOnly.BuildAsync(run, bucket, rawKey, dryRun, cancellationToken).ConfigureAwait(false);
            return result with { DurationMs = (long)_time.GetElapsedTime(run.Started).TotalMilliseconds };
        }
        finally
        {
            // Not committed (skipped, superseded, failed, cancelled): no object, no open upload.
            if (run.Trusted is { } trusted)
                await trusted.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Admission: sets the run's source version, or returns the skipped result.</summary>
    private RecordResult? Admit(RecordRun run)
    {
        var admission = _admission.Admit(run.Record);
        run.Source = admission.Source;
        return admission.Source is null ? run.Skipped(admission.SkipReason) : null;
    }

    /// <summary>
    /// Every step before a write: an earlier run, the current version, the read and its verdict. Either a final result
    /// (duplicate, superseded, missing, still rejected), or null with the run's <see cref="RecordRun.Verdict"/> to write.
    /// </summary>
    private async Task<RecordResult?> JudgeAsync(RecordRun run, Func<TimeSpan>? remainingTime, CancellationToken cancellationToken)
    {
        var source = run.Source!;
        var destinationBucket = _config.DestinationBucket ?? source.Bucket;
        var earlier = await _ledger.FindFinishedRunAsync(source, destinationBucket, cancellationToken).ConfigureAwait(false);
        // An accepted version is never validated again; a rejected one only when the operator asks (after a schema fix).
        if (earlier is not null && (earlier.Place.Accepted || !run.Options.ReprocessRejected))
            return run.Duplicate(earlier);
        if (await _ledger.CheckCurrentAsync(source, cancellationToken).ConfigureAwait(false) is { } stale)
            return run.Gone(stale);

        // A dry run has no deadline.
        var budget = remainingTime is null ? null : await ReadBudgetAsync(source, remainingTime, cancellationToken).ConfigureAwait(false);
        var readClock = _time.GetTimestamp();
        // The trusted zone's Parquet is written during the same read (not on a dry run) and committed only with an accepted verdict.
        run.Trusted = remainingTime is null ? null : _trusted.SinkFor(source, destinationBucket);
        var (read, validation, gone) = await _reader.ReadAsync(source, budget, cancellationToken, run.Trusted).ConfigureAwait(false);
        run.ValidationMs = (long)_time.GetElapsedTime(readClock).TotalMilliseconds;
        if (read is null)
            return run.Gone(gone!);
        run.Source = read;
        if (validation!.Accepted && run.Trusted?.Refused is { } refused)
            validation = _trusted.Refuse(validation, refused);
        var dataset = validation!.Accepted ? validation.Dataset : null;
        run.Verdict = new Verdict(validation, Destination.For(_config.Layout, destinationBucket, dataset, read));
        run.Reprocessing = earlier;
        if (earlier is not null && !run.Verdict.Accepted) // reprocessed and still rejected: the one quarantine report stays as it is
            return run.StillRejected(earlier);
        return null;
    }

    /// <summary>
    /// Whether there is time to read and copy is decided by the object's real size, not the event's (a hint that may
    /// be anything). When the event's size says there is no time, a HEAD asks the object, so a large object is
    /// refused without a GET; whatever the event said, the returned check refuses on the GET's Content-Length before
    /// the body is read.
    /// </summary>
    private async Task<Action<long>> ReadBudgetAsync(SourceVersion source, Func<TimeSpan> remainingTime, CancellationToken cancellationToken)
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
    private async Task<RecordResult> IngestBeforeDeadlineAsync(RecordRun run, CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource(_budget.UntilStop(run.Context.RemainingTime), _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop.Token);
        try
        {
            return await IngestAsync(run, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var source = run.Source!;
            throw new DeadlineException(
                $"Stopped work on s3://{source.Bucket}/{source.Key} {_config.DeadlineMargin.TotalMilliseconds:F0} ms before the invocation's deadline "
                + "(DEADLINE_MARGIN_MS): a multipart copy in progress was aborted and the claim released; the retry will start clean.", e);
        }
        finally
        {
            // Anything not committed (rejected, duplicate, superseded, failed, cancelled): no object, no open upload.
            if (run.Trusted is { } trusted)
                await trusted.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<RecordResult> IngestAsync(RecordRun run, CancellationToken cancellationToken)
    {
        if (await JudgeAsync(run, () => run.Context.RemainingTime, cancellationToken).ConfigureAwait(false) is { } final)
            return final;
        var (read, destination) = (run.Source!, run.Verdict!.Destination);

        // From here on one run at a time per destination: duplicates delivered at once must not all copy.
        var remaining = run.Context.RemainingTime;
        var request = new ClaimRequest(destination.Bucket, destination.ClaimKey, read, run.Context.AwsRequestId,
            _budget.ClaimLease(read.StoredSize, remaining), _budget.ClaimWait(remaining));
        var claim = await _claims.AcquireAsync(request, () => _ledger.IsFinishedAsync(destination, read, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        if (claim is null)
            return run.Duplicate($"already ingested as {run.Verdict.Outcome} by a concurrent run (s3://{destination.Bucket}/{destination.DataKey})");
        try
        {
            return await _writer.WriteAsync(run, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _claims.ReleaseAsync(claim).ConfigureAwait(false);
        }
    }
}
