using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;

namespace IngestLambda.Lake;

/// <summary>A verdict an earlier run finished: where it went and the copy's metadata (which names its source).</summary>
internal sealed record FinishedRun(Destination Place, GetObjectMetadataResponse Copy);

/// <summary>What the destination holds when a run has the claim, as far as this run's source version is concerned.</summary>
internal enum CopyState
{
    /// <summary>No copy, or a copy of an older (or unordered) source version: this run copies.</summary>
    Absent,
    /// <summary>A copy from a newer event for this key (its sequencer is greater): this run must not replace it.</summary>
    Newer,
    /// <summary>This version's copy without its report: an earlier run was interrupted between copy and report.</summary>
    CopiedWithoutReport,
    /// <summary>Copy and report both name this version: the work is done.</summary>
    Finished,
}

/// <summary>
/// What the lake already holds, read from object metadata (<see cref="SourceVersion.IsNamedBy"/>): the landing object's current
/// version, earlier runs' copies and reports. The one place that asks S3 "what is there?", shared with the claims.
/// </summary>
internal sealed class LakeLedger(IAmazonS3 s3, IngestConfig config)
{
    /// <summary>The object's current version's metadata, or null when there is none.</summary>
    public async Task<GetObjectMetadataResponse?> HeadOrNullAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await ShortRequest.RunAsync(config.SmallRequestTimeout, $"the HEAD of s3://{bucket}/{key}",
                token => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, token), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A report's (or manifest's) bytes and its metadata, or null when there is none.</summary>
    public async Task<(byte[] Json, MetadataCollection Metadata)?> GetReportOrNullAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await ShortRequest.RunAsync(config.SmallRequestTimeout, $"the GET of s3://{bucket}/{key}", async token =>
            {
                using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, token).ConfigureAwait(false);
                using var body = new MemoryStream();
                await response.ResponseStream.CopyToAsync(body, token).ConfigureAwait(false);
                return (body.ToArray(), response.Metadata);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// With a version id in the event: whether that version is still the landing object's current one (the read is
    /// pinned anyway; being current is a separate question). Null when it is, or when the event names no version.
    /// </summary>
    public async Task<SourceGone?> CheckCurrentAsync(SourceVersion source, CancellationToken cancellationToken)
    {
        if (source.VersionId is null)
            return null;
        var current = await HeadOrNullAsync(source.Bucket, source.Key, cancellationToken).ConfigureAwait(false);
        if (current is null)
            return new SourceGone(Outcomes.Missing, "the object was deleted after the event");
        if (S3Versions.RealVersionId(current.VersionId) != source.VersionId)
            return new SourceGone(Outcomes.Superseded, $"version {source.VersionId} is no longer current ({current.VersionId} is)");
        return null;
    }

    /// <summary>
    /// A finished earlier run for the event's object version, found without reading the object: its report (written
    /// last) and its copy both name this source in their metadata. The destination depends on the verdict, so every
    /// possible place is asked at once: each dataset's manifest and the quarantine report.
    /// </summary>
    public async Task<FinishedRun?> FindFinishedRunAsync(SourceVersion source, string destinationBucket, CancellationToken cancellationToken)
    {
        if (source.VersionId is null && source.ETag is null)
            return null;
        var places = Destination.AllFor(config, destinationBucket, source).ToList();
        var reports = await Task.WhenAll(places.Select(p => HeadOrNullAsync(p.Bucket, p.ReportKey, cancellationToken))).ConfigureAwait(false);
        for (var i = 0; i < places.Count; i++)
        {
            if (reports[i] is not { } report || !source.IsNamedBy(report.Metadata))
                continue;
            var copy = await HeadOrNullAsync(places[i].Bucket, places[i].DataKey, cancellationToken).ConfigureAwait(false);
            if (copy is not null && source.IsNamedBy(copy.Metadata))
                return new FinishedRun(places[i], copy);
        }
        return null;
    }

    /// <summary>Both the copy and its report name this source version: another run finished the work.</summary>
    public async Task<bool> IsFinishedAsync(Destination destination, SourceVersion read, CancellationToken cancellationToken)
    {
        var report = await HeadOrNullAsync(destination.Bucket, destination.ReportKey, cancellationToken).ConfigureAwait(false);
        if (report is null || !read.IsNamedBy(report.Metadata))
            return false;
        var copy = await HeadOrNullAsync(destination.Bucket, destination.DataKey, cancellationToken).ConfigureAwait(false);
        return copy is not null && read.IsNamedBy(copy.Metadata);
    }

    /// <summary>
    /// Under the claim, right before copying: is the version read still the landing object's current one? Null when it
    /// is; otherwise a newer upload (or a delete) owns the key and this run writes nothing.
    /// </summary>
    public async Task<SourceGone?> CheckStillCurrentAsync(SourceVersion read, CancellationToken cancellationToken)
    {
        var current = await HeadOrNullAsync(read.Bucket, read.Key, cancellationToken).ConfigureAwait(false);
        if (current is null)
            return new SourceGone(Outcomes.Missing, "the object was deleted after it was read");
        var currentVersion = S3Versions.RealVersionId(current.VersionId);
        if (read.VersionId is not null && currentVersion is not null)
        {
            return currentVersion == read.VersionId ? null
                : new SourceGone(Outcomes.Superseded, $"version {read.VersionId} was replaced by {currentVersion} while it was being read and validated");
        }
        return S3Versions.Unquote(current.ETag) == read.ETag ? null
            : new SourceGone(Outcomes.Superseded, "the object was overwritten while it was being read and validated (its ETag no longer matches)");
    }

    /// <summary>
    /// Under the claim: is this version's copy (and its report) already in place, or a copy from a newer event? The
    /// copy's metadata is returned with the state.
    /// </summary>
    public async Task<(CopyState State, GetObjectMetadataResponse? Copy)> FindCopyAsync(
        Destination destination, SourceVersion read, CancellationToken cancellationToken)
    {
        var copy = await HeadOrNullAsync(destination.Bucket, destination.DataKey, cancellationToken).ConfigureAwait(false);
        if (copy is null)
            return (CopyState.Absent, null);
        if (!read.IsNamedBy(copy.Metadata))
        {
            var theirs = copy.Metadata[LakeMetadata.Sequencer];
            var newer = read.Sequencer is not null && Sequencer.IsValid(theirs) && Sequencer.Compare(theirs, read.Sequencer) > 0;
            return (newer ? CopyState.Newer : CopyState.Absent, copy);
        }
        var report = await HeadOrNullAsync(destination.Bucket, destination.ReportKey, cancellationToken).ConfigureAwait(false);
        return (report is not null && read.IsNamedBy(report.Metadata) ? CopyState.Finished : CopyState.CopiedWithoutReport, copy);
    }
}
