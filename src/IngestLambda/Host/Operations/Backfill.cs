using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Core.Reports;
using IngestLambda.Core.Validation;
using IngestLambda.Events;
using IngestLambda.Lake;
using IngestLambda.Pipeline;

namespace IngestLambda.Host.Operations;

/// <param name="Prefix">A prefix at or below LANDING_PREFIX; with <paramref name="TrustedOnly"/>, at or below RAW_PREFIX.</param>
/// <param name="TrustedOnly">Build the trusted Parquet of each accepted copy under the Raw prefix, without copying Raw again.</param>
internal sealed record BackfillRequest(string Bucket, string Prefix, int Concurrency, bool DryRun, bool ReprocessRejected, bool TrustedOnly = false);

/// <summary>
/// <c>bootstrap backfill</c>: every object already under the prefix goes through the same pipeline, as if its
/// ObjectCreated event had just arrived: eventTime is its LastModified (so the date folder is the day it landed),
/// and its current version id and ETag are pinned. The listing is read page by page into a small bounded queue that
/// <c>Concurrency</c> workers drain, so memory does not grow with the bucket. Idempotent: the pipeline answers
/// <c>duplicate</c> for what an earlier run filed. With <see cref="BackfillRequest.TrustedOnly"/> the listing is of Raw
/// copies, and each builds its trusted Parquet instead (<see cref="IngestFunction.BuildTrustedAsync"/>).
/// </summary>
internal sealed class Backfill(IngestFunction function, IAmazonS3 s3, OperationOutput output)
{
    /// <summary>Time one object may take, as a Lambda timeout would bound it (the copy budget uses it).</summary>
    private static readonly TimeSpan ObjectTimeout = TimeSpan.FromMinutes(15);

    public async Task RunAsync(BackfillRequest request, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<S3Object>(new BoundedChannelOptions(request.Concurrency * 2) { SingleWriter = true });
        var workers = Enumerable.Range(0, request.Concurrency)
            .Select(_ => Task.Run(() => WorkAsync(queue.Reader, request, cancellationToken), cancellationToken))
            .ToArray();
        try
        {
            await ListAsync(request, queue.Writer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (CannotStartException.IsAccessFailure(e))
        {
            var what = $"listing s3://{request.Bucket}/{request.Prefix} failed ({CannotStartException.Describe(e)})";
            if (output.ListedCount == 0)
                throw new CannotStartException($"{what}; nothing was processed", e);
            output.Problem($"{what} after {output.ListedCount} objects: those were processed, and running backfill again picks up the rest");
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
    }

    private async Task ListAsync(BackfillRequest request, ChannelWriter<S3Object> queue, CancellationToken cancellationToken)
    {
        var list = new ListObjectsV2Request { BucketName = request.Bucket, Prefix = request.Prefix };
        do
        {
            var page = await s3.ListObjectsV2Async(list, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                output.Listed();
                await queue.WriteAsync(item, cancellationToken).ConfigureAwait(false);
            }
            list.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (list.ContinuationToken is not null);
    }

    private async Task WorkAsync(ChannelReader<S3Object> queue, BackfillRequest request, CancellationToken cancellationToken)
    {
        var options = new RunOptions(request.ReprocessRejected);
        await foreach (var item in queue.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            output.Add(await FileAsync(item, request, options, cancellationToken).ConfigureAwait(false));
    }

    private async Task<RecordResult> FileAsync(S3Object item, BackfillRequest request, RunOptions options, CancellationToken cancellationToken)
    {
        var skipped = new RecordResult { Outcome = Outcomes.Skipped, Bucket = request.Bucket, Key = item.Key, ETag = item.ETag is null ? null : S3Versions.Unquote(item.ETag) };
        if (!ContentEncodings.IsIngestedName(item.Key))
        {
            return skipped with { Message = request.TrustedOnly
                ? $"not a copy of a landed file: those end in {ContentEncodings.CsvSuffix} or {ContentEncodings.GzipSuffix}"
                : $"the S3 event filter sends only keys ending in {ContentEncodings.CsvSuffix} or {ContentEncodings.GzipSuffix}" };
        }
        if (request.TrustedOnly)
            return await function.BuildTrustedAsync(request.Bucket, item.Key, new LocalLambdaContext(ObjectTimeout), request.DryRun, cancellationToken).ConfigureAwait(false);

        IncomingRecord record;
        try
        {
            record = await PinAsync(request.Bucket, item.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return skipped with { Outcome = Outcomes.Missing, Message = "deleted between the listing and its turn" };
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or IOException)
        {
            return skipped with { Outcome = Outcomes.Failed, Message = $"{e.GetType().Name}: {e.Message}" };
        }

        if (!request.DryRun)
            return (await function.ProcessRecordAsync(record, new LocalLambdaContext(ObjectTimeout), options, cancellationToken).ConfigureAwait(false)).Result;
        try
        {
            return await function.PlanRecordAsync(record, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return skipped with { Outcome = Outcomes.Failed, Message = $"{e.GetType().Name}: {e.Message}" };
        }
    }

    /// <summary>The event S3 would have sent for the object's current version: its version id, ETag and LastModified.</summary>
    private async Task<IncomingRecord> PinAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        var lastModified = head.LastModified ?? throw new IOException($"S3 answered no Last-Modified for s3://{bucket}/{key}.");
        return new IncomingRecord
        {
            Kind = IncomingRecordKind.ObjectEvent,
            EventName = "ObjectCreated:Backfill",
            EventTime = AsUtc(lastModified).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            Bucket = bucket,
            EncodedKey = FormUrlKey.ToMetadataValue(key), // percent-encoding is valid form-URL encoding
            Size = head.ContentLength,
            ETag = head.ETag,
            VersionId = S3Versions.RealVersionId(head.VersionId),
        };
    }

    private static DateTime AsUtc(DateTime time) => time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime();
}
