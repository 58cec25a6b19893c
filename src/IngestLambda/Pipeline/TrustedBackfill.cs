using System.Text.Json;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Lake;

namespace IngestLambda.Pipeline;

/// <summary>
/// <c>backfill --trusted-only</c> for one object under RAW_PREFIX (docs/contracts.md "Trusted zone", "Backfill"): the
/// Parquet of a file already accepted, built from its Raw copy, the lake's accepted bytes, without copying Raw again.
/// <list type="number">
/// <item>its manifest (the Raw key under MANIFEST_PREFIX, plus <c>.json</c>) must be an accepted file's, and the copy
///   and the manifest must name the same landing version, as a finished run leaves them (<see cref="LakeLedger.FindCopyAsync"/>);</item>
/// <item>a manifest whose <c>trusted</c> object exists is skipped;</item>
/// <item>one read of the Raw copy, pinned to the version listed, validates it again with today's contracts and feeds
///   the Parquet (<see cref="TrustedZone"/>), as the function's own read does; a copy that no longer validates gets none;</item>
/// <item>under the destination's claim (the one the function's runs take), the copy and manifest must still name
///   that version, or a newer upload was filed meanwhile and this run writes nothing; then the Parquet is committed
///   and the manifest rewritten with its <c>trusted</c> section, everything else as it was.</item>
/// </list>
/// Results name the Raw copy read (<c>key</c>, <c>versionId</c>, <c>eTag</c>), the Parquet (<c>destinationKey</c>) and
/// the manifest (<c>reportKey</c>).
/// </summary>
internal sealed class TrustedBackfill(IngestConfig config, LakeLedger ledger, SourceReader reader, RecordClaims claims, LakeWriter writer,
    TrustedZone trusted, TimeBudget budget)
{
    /// <summary>The copy and manifest found for a Raw key, and the landing version they name.</summary>
    private sealed record Filed(SourceVersion Identity, Destination Raw, StoredReport Stored, SourceVersion Copy);

    public async Task<RecordResult> BuildAsync(RecordRun run, string bucket, string rawKey, bool dryRun, CancellationToken cancellationToken)
    {
        // Until the copy is found, the result names the key as listed (its Path is replaced before the read).
        run.Source = new SourceVersion(bucket, rawKey, rawKey, null, null, null, default);
        if (config.TrustedFormat == TrustedFormat.None)
            return run.Skipped("TRUSTED_FORMAT=none: there is no trusted zone to build");
        var (filed, why) = await FindFiledAsync(run, bucket, rawKey, cancellationToken).ConfigureAwait(false);
        if (filed is null)
            return why!;
        var (identity, raw, stored) = (filed.Identity, filed.Raw, filed.Stored);
        var trustedKey = config.Layout.TrustedKey(stored.Dataset!, identity.EventTime, identity.Key);
        var destination = new Destination(bucket, trustedKey, raw.ReportKey, stored.Dataset);
        if (await HasTrustedAsync(bucket, stored, cancellationToken).ConfigureAwait(false))
            return run.Skipped($"already in Trusted: s3://{bucket}/{stored.Trusted!.Key} (its manifest names it); delete that object to build it again");

        // The read: the Raw copy's bytes, validated again, feeding the Parquet (not on a dry run).
        run.Source = filed.Copy;
        run.Trusted = dryRun ? null : trusted.SinkFor(identity, bucket);
        var (read, validation, gone) = await reader.ReadAsync(filed.Copy, beforeReading: null, cancellationToken, run.Trusted).ConfigureAwait(false);
        if (read is null)
            return run.Gone(gone! with { Message = $"the Raw copy changed after it was listed: {gone.Message}" });
        run.Source = read;
        if (validation!.Accepted && run.Trusted?.Refused is { } refused)
            validation = trusted.Refuse(validation, refused);
        run.Verdict = new Verdict(validation, destination);
        if (!validation.Accepted)
            return run.SkippedInvalid("no Parquet written: the Raw copy no longer passes today's contracts (Raw and its manifest stay as they are)");
        if (validation.Dataset != stored.Dataset)
            return run.Skipped($"no Parquet written: the Raw copy is filed as {stored.Dataset} but today's contracts read it as {validation.Dataset}");
        if (stored.Crc64Nvme is { } crc && validation.Crc64Nvme != crc)
            return run.Skipped($"no Parquet written: the Raw copy's CRC64NVME {validation.Crc64Nvme} is not the {crc} its manifest records");
        if (dryRun)
            return run.Judged($"dry run: would write s3://{bucket}/{trustedKey} from the Raw copy and add its trusted section to {raw.ReportKey}");

        var remaining = run.Context.RemainingTime;
        var request = new ClaimRequest(bucket, raw.ClaimKey, identity, run.Context.AwsRequestId,
            budget.ClaimLease(read.StoredSize, remaining), budget.ClaimWait(remaining));
        var claim = await claims.AcquireAsync(request, () => HasTrustedNowAsync(raw, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (claim is null)
            return run.Duplicate($"already in Trusted: a concurrent run built it and named it in {raw.ReportKey}");
        try
        {
            return await CommitAsync(run, filed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await claims.ReleaseAsync(claim).ConfigureAwait(false);
        }
    }

    /// <summary>Under the claim: the Parquet, then the manifest, unless a newer upload or another run got there first.</summary>
    private async Task<RecordResult> CommitAsync(RecordRun run, Filed filed, CancellationToken cancellationToken)
    {
        var (identity, raw) = (filed.Identity, filed.Raw);
        var (state, _) = await ledger.FindCopyAsync(raw, identity, cancellationToken).ConfigureAwait(false);
        var manifest = await ledger.GetReportOrNullAsync(raw.Bucket, raw.ReportKey, cancellationToken).ConfigureAwait(false);
        if (state != CopyState.Finished || manifest is not { } current)
        {
            return run.Gone(new SourceGone(Outcomes.Superseded,
                $"s3://{raw.Bucket}/{raw.DataKey} and its manifest no longer name the version read (a newer upload was filed meanwhile); no Parquet written"));
        }
        var stored = ReportJson.ReadStored(current.Json);
        if (await HasTrustedAsync(raw.Bucket, stored, cancellationToken).ConfigureAwait(false))
            return run.Duplicate($"already in Trusted: a concurrent run wrote s3://{raw.Bucket}/{stored.Trusted!.Key}");

        // As in the function's own write: the Parquet becomes visible first, the manifest that names it last.
        var parquet = await run.Trusted!.Writer!.CommitAsync(cancellationToken).ConfigureAwait(false);
        var section = new TrustedInfo(parquet.Key, parquet.Rows, parquet.Bytes, parquet.RowGroups);
        await writer.PutReportAsync(raw, ReportJson.WithTrusted(current.Json, section), identity, cancellationToken).ConfigureAwait(false);
        return run.Judged($"trusted only: wrote {parquet.Rows} rows in {parquet.RowGroups} row group(s) from the Raw copy and added its trusted section to {raw.ReportKey}; Raw not copied again");
    }

    /// <summary>The manifest of <paramref name="rawKey"/>, the landing version it names and the copy that names it too; or the skipped result saying why not.</summary>
    private async Task<(Filed? Filed, RecordResult? Why)> FindFiledAsync(RecordRun run, string bucket, string rawKey, CancellationToken cancellationToken)
    {
        var layout = config.Layout;
        if (layout.ManifestKeyOfRaw(rawKey) is not { } manifestKey)
            return (null, run.Skipped($"not a file under RAW_PREFIX '{layout.Prefixes.Raw}'"));
        if (await ledger.GetReportOrNullAsync(bucket, manifestKey, cancellationToken).ConfigureAwait(false) is not { } manifest)
            return (null, run.Skipped($"no manifest {manifestKey}: the run that copied it did not finish; backfill of its landing key (without --trusted-only) finishes it"));
        StoredReport stored;
        try
        {
            stored = ReportJson.ReadStored(manifest.Json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (null, run.Skipped($"{manifestKey} is not a manifest this version can read ({e.Message})"));
        }
        if (stored is not { Outcome: Outcomes.Accepted, Dataset: { } dataset, Source: { } source } || !layout.IsLandingFile(source.Key))
            return (null, run.Skipped($"{manifestKey} is not the manifest of an accepted file under LANDING_PREFIX '{layout.Prefixes.Landing}'"));

        var identity = new SourceVersion(source.Bucket, source.Key, layout.RelativePath(source.Key), S3Versions.RealVersionId(source.VersionId),
            source.ETag, source.Size, source.EventTime);
        var raw = Destination.For(layout, bucket, dataset, identity);
        if (raw.DataKey != rawKey || raw.ReportKey != manifestKey)
            return (null, run.Skipped($"{manifestKey} files {source.Key} at {raw.DataKey}, not here (the lake's prefixes changed since?)"));
        var (state, copy) = await ledger.FindCopyAsync(raw, identity, cancellationToken).ConfigureAwait(false);
        if (copy is null)
            return (null, run.Gone(new SourceGone(Outcomes.Missing, "the Raw copy was deleted after it was listed")));
        if (state != CopyState.Finished)
            return (null, run.Skipped($"the Raw copy and {manifestKey} name different versions of {source.Key} (a run is filing it, or was interrupted): backfill of its landing key finishes it"));
        // The read is pinned to the copy as found (its version id, else If-Match on its ETag); a newer copy is caught under the claim.
        var pinned = new SourceVersion(bucket, rawKey, identity.Path, S3Versions.RealVersionId(copy.VersionId), S3Versions.Unquote(copy.ETag),
            copy.ContentLength, identity.EventTime);
        return (new Filed(identity, raw, stored, pinned), null);
    }

    /// <summary>While waiting for the claim: whether the manifest names a Parquet that exists now.</summary>
    private async Task<bool> HasTrustedNowAsync(Destination raw, CancellationToken cancellationToken) =>
        await ledger.GetReportOrNullAsync(raw.Bucket, raw.ReportKey, cancellationToken).ConfigureAwait(false) is { } manifest
        && await HasTrustedAsync(raw.Bucket, ReportJson.ReadStored(manifest.Json), cancellationToken).ConfigureAwait(false);

    private async Task<bool> HasTrustedAsync(string bucket, StoredReport stored, CancellationToken cancellationToken) =>
        stored.Trusted is { } section && await ledger.HeadOrNullAsync(bucket, section.Key, cancellationToken).ConfigureAwait(false) is not null;
}
