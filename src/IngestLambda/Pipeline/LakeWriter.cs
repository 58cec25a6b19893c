using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Lake;

namespace IngestLambda.Pipeline;

/// <summary>
/// Writes one verdict into the lake, under the claim: copy server-side unless an earlier run already did, then write
/// the manifest or quarantine report last, so a report exists only for a finished copy and a retry that finds the
/// copy without its report completes the report instead of calling it a duplicate.
/// </summary>
internal sealed class LakeWriter(IAmazonS3 s3, IngestConfig config, LakeLedger ledger, TimeBudget budget, TimeProvider time)
{
    private readonly ServerSideCopy _copy = new(s3, config);

    public async Task<RecordResult> WriteAsync(RecordRun run, CancellationToken cancellationToken)
    {
        var (read, verdict) = (run.Source!, run.Verdict!);
        var destination = verdict.Destination;
        string? note = null;
        // Under the claim no other run can write this destination, so these checks hold until the copy is made.
        // A newer upload of the key filed while this run was reading must win (docs/reliability.md, section 6).
        if (await ledger.CheckStillCurrentAsync(read, cancellationToken).ConfigureAwait(false) is { } stale)
            return run.Gone(stale);
        var (state, copy) = await ledger.FindCopyAsync(destination, read, cancellationToken).ConfigureAwait(false);
        switch (state)
        {
            case CopyState.Newer:
                return run.Gone(new SourceGone(Outcomes.Superseded,
                    $"s3://{destination.Bucket}/{destination.DataKey} holds a newer upload of this key (event sequencer {copy!.Metadata[LakeMetadata.Sequencer]} > {read.Sequencer}); not replaced"));
            case CopyState.Finished:
                return run.Duplicate($"already ingested as {verdict.Outcome} (s3://{destination.Bucket}/{destination.DataKey})");
            case CopyState.CopiedWithoutReport:
                note = "the copy was already in place from an interrupted run; wrote its missing report";
                break;
            default:
                budget.EnsureTimeForCopy(read, run.Context.RemainingTime);
                var copyClock = time.GetTimestamp();
                try
                {
                    await _copy.CopyAsync(read, verdict.Validation.Crc64Nvme, destination.Bucket, destination.DataKey, metadata => WriteCopyMetadata(metadata, run), cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonS3Exception e) when (SourceGone.From(e) is { } gone)
                {
                    return run.Gone(gone with { Message = $"{gone.Message} (during the copy)" });
                }
                finally
                {
                    run.CopyMs = (long)time.GetElapsedTime(copyClock).TotalMilliseconds;
                }
                break;
        }

        // The trusted Parquet becomes visible now, after the Raw copy and before the manifest (docs/contracts.md "Trusted zone").
        var trusted = verdict.Accepted && run.Trusted?.Writer is { } parquet
            ? await parquet.CommitAsync(cancellationToken).ConfigureAwait(false)
            : null;
        var rejected = run.Reprocessing?.Place;
        var report = IngestReport.From(verdict.Validation, time.GetUtcNow(), (long)time.GetElapsedTime(run.Started).TotalMilliseconds,
            read.ToReportSource(), new DestinationInfo(destination.Bucket, destination.DataKey),
            rejected is null ? null : new ReprocessedInfo(Outcomes.Rejected, rejected.DataKey, rejected.ReportKey),
            trusted is null ? null : new TrustedInfo(trusted.Key, trusted.Rows, trusted.Bytes, trusted.RowGroups));
        if (rejected is not null)
            note = RecordRun.Join(note, $"reprocessed: rejected earlier (s3://{rejected.Bucket}/{rejected.ReportKey}, kept as history), accepted now");
        await PutReportAsync(destination, ReportJson.SerializeToUtf8Bytes(report), read, cancellationToken).ConfigureAwait(false);
        return run.Judged(note);
    }

    private static void WriteCopyMetadata(MetadataCollection metadata, RecordRun run)
    {
        var (read, validation) = (run.Source!, run.Verdict!.Validation);
        read.WriteIdentityTo(metadata);
        metadata.Add(LakeMetadata.Rows, validation.Rows.ToString(CultureInfo.InvariantCulture));
        if (validation.Crc64Nvme is not null)
            metadata.Add(LakeMetadata.Crc64Nvme, validation.Crc64Nvme);
        if (validation.Sha256 is not null)
            metadata.Add(LakeMetadata.Sha256, validation.Sha256);
        if (validation.Dataset is not null)
            metadata.Add(LakeMetadata.Dataset, validation.Dataset);
        if (read.Sequencer is not null)
            metadata.Add(LakeMetadata.Sequencer, read.Sequencer);
    }

    /// <summary>Writes the report (or manifest) JSON, named by the source version it describes.</summary>
    public async Task PutReportAsync(Destination destination, byte[] json, SourceVersion read, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = destination.Bucket,
            Key = destination.ReportKey,
            ContentType = "application/json",
            InputStream = new MemoryStream(json),
        };
        read.WriteIdentityTo(request.Metadata);
        await ShortRequest.RunAsync(config.SmallRequestTimeout, $"the PUT of the report s3://{destination.Bucket}/{destination.ReportKey}",
            token => s3.PutObjectAsync(request, token), cancellationToken).ConfigureAwait(false);
    }
}
