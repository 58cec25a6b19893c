using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Core.Reports;
using IngestLambda.Runtime;

namespace IngestLambda.Ingestion;

/// <summary>One run's work under its claim: the version read, its verdict's destination and the result so far;
/// <paramref name="ReprocessedFrom"/> is the quarantine an earlier run filed this version in, when it is validated again.</summary>
internal sealed record WriteJob(AdmittedObject Source, ValidatedObject Read, Destination Destination, RecordResult Result, ILambdaContext Context, long Started,
    Destination? ReprocessedFrom = null);

/// <summary>
/// Writes one verdict into the lake, under the claim: copy server-side unless an earlier run already did, then write
/// the manifest or quarantine report last, so a report exists only for a finished copy and a retry that finds the
/// copy without its report completes the report instead of calling it a duplicate.
/// </summary>
internal sealed class LakeWriter(IAmazonS3 s3, IngestConfig config, LakeLedger ledger, TimeProvider time)
{
    private readonly ServerSideCopy _copy = new(s3, config);
    private readonly TimeBudget _budget = new(config);

    public async Task<(RecordResult Result, StepTimings Timings)> WriteAsync(WriteJob job, CancellationToken cancellationToken)
    {
        var (source, read, destination, result) = (job.Source, job.Read, job.Destination, job.Result);
        var copyClock = new Stopwatch();
        // Under the claim no other run can write this destination, so these checks hold until the copy is made.
        // A newer upload of the key filed while this run was reading must win (issue #11 item 1).
        if (await ledger.CheckStillCurrentAsync(source, read.Identity, cancellationToken).ConfigureAwait(false) is { } stale)
            return (RecordResults.Gone(result, stale), new StepTimings(read.ValidationMs, 0));
        var (state, copy) = await ledger.FindCopyAsync(destination, read.Identity, source.Sequencer, cancellationToken).ConfigureAwait(false);
        switch (state)
        {
            case CopyState.Newer:
                return (RecordResults.Gone(result, new SourceGone(Outcomes.Superseded,
                        $"s3://{destination.Bucket}/{destination.DataKey} holds a newer upload of this key (event sequencer {copy!.Metadata[SourceIdentity.SequencerField]} > {source.Sequencer}); not replaced")),
                    new StepTimings(read.ValidationMs, 0));
            case CopyState.Finished:
                return (RecordResults.Duplicate(result, $"already ingested as {result.Outcome} (s3://{destination.Bucket}/{destination.DataKey})"),
                    new StepTimings(read.ValidationMs, 0));
            case CopyState.CopiedWithoutReport:
                result = result with { Message = RecordResults.Join(result.Message, "the copy was already in place from an interrupted run; wrote its missing report") };
                break;
            default:
                _budget.EnsureTimeForCopy(read.Size, job.Context.RemainingTime, source);
                copyClock.Start();
                var plan = new CopyPlan(source.Bucket, source.Key, read.Identity.VersionId, read.Identity.ETag, read.Size, read.ContentType,
                    destination.Bucket, destination.DataKey, metadata => WriteCopyMetadata(metadata, read, source.Sequencer));
                try
                {
                    await _copy.CopyAsync(plan, cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonS3Exception e) when (SourceGone.From(e) is { } gone)
                {
                    return (result with { Outcome = gone.Outcome, Message = $"{gone.Message} (during the copy)" }, new StepTimings(read.ValidationMs, copyClock.ElapsedMilliseconds));
                }
                copyClock.Stop();
                break;
        }

        var report = IngestReport.From(read.Validation, time.GetUtcNow(), (long)time.GetElapsedTime(job.Started).TotalMilliseconds,
            new SourceInfo(source.Bucket, source.Key, read.Identity.VersionId, read.Identity.ETag, read.Size, source.EventTime),
            new DestinationInfo(destination.Bucket, destination.DataKey),
            job.ReprocessedFrom is { } rejected ? new ReprocessedInfo(Outcomes.Rejected, rejected.DataKey, rejected.ReportKey) : null);
        if (job.ReprocessedFrom is { } earlier)
            result = result with { Message = RecordResults.Join(result.Message, $"reprocessed: rejected earlier (s3://{earlier.Bucket}/{earlier.ReportKey}, kept as history), accepted now") };
        await WriteReportAsync(destination, report, read.Identity, cancellationToken).ConfigureAwait(false);
        return (result, new StepTimings(read.ValidationMs, copyClock.ElapsedMilliseconds));
    }

    private static void WriteCopyMetadata(MetadataCollection metadata, ValidatedObject read, string? sequencer)
    {
        read.Identity.WriteTo(metadata);
        metadata.Add(SourceIdentity.RowsField, read.Validation.Rows.ToString(CultureInfo.InvariantCulture));
        metadata.Add(SourceIdentity.Sha256Field, read.Validation.Sha256);
        if (read.Validation.Dataset is not null)
            metadata.Add(SourceIdentity.DatasetField, read.Validation.Dataset);
        if (sequencer is not null)
            metadata.Add(SourceIdentity.SequencerField, sequencer);
    }

    private async Task WriteReportAsync(Destination destination, IngestReport report, SourceIdentity identity, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = destination.Bucket,
            Key = destination.ReportKey,
            ContentType = "application/json",
            InputStream = new MemoryStream(ReportJson.SerializeToUtf8Bytes(report)),
        };
        identity.WriteTo(request.Metadata);
        await ShortRequest.RunAsync(config.SmallRequestTimeout, $"the PUT of the report s3://{destination.Bucket}/{destination.ReportKey}",
            token => s3.PutObjectAsync(request, token), cancellationToken).ConfigureAwait(false);
    }
}
