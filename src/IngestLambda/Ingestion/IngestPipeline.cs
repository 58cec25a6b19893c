using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Core.Lake;
using IngestLambda.Core.Reports;
using IngestLambda.Core.Validation;
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
/// are outcomes; S3 and network failures throw, and every write is idempotent so the retry is safe:
/// <list type="number">
/// <item>decode and guard the key; skip what is not a landed file;</item>
/// <item>a finished earlier run for this version (report and copy both name it) → duplicate, without reading;</item>
/// <item>with a version id, a version that is no longer current → superseded;</item>
/// <item>GetObject pinned (VersionId, else If-Match) streamed into the validator (412 superseded, 404 missing);</item>
/// <item>destination known: claim it (<see cref="RecordClaims"/>), so runs of the same event delivered at once take
///   turns; a run that finds the work finished while waiting → duplicate;</item>
/// <item>under the claim: if the copy is already there for this version, do not copy again (an interrupted run);
///   if its report is there too → duplicate;</item>
/// <item>otherwise check the deadline and copy server-side, pinned to the version read;</item>
/// <item>write the manifest / quarantine report last, so a report exists only for a finished copy and a retry that
///   finds the copy without its report completes the report instead of calling it a duplicate.</item>
/// </list>
/// </summary>
internal sealed class IngestPipeline(IAmazonS3 s3, IngestConfig config, TimeProvider time)
{
    private const int MaxKeyBytes = 1024;
    /// <summary>S3 allows 2 KB of user metadata per object; the other ingest fields take under 300 bytes.</summary>
    private const int MaxKeyMetadataChars = 1600;
    private readonly LakeLayout _layout = new(config.Prefixes);
    private readonly ServerSideCopy _copy = new(s3, config);
    private readonly RecordClaims _claims = new(s3, config, time);

    public async Task<(RecordResult Result, StepTimings Timings)> ProcessAsync(IncomingRecord record, ILambdaContext context, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var result = new RecordResult { Outcome = Outcomes.Skipped, Bucket = record.Bucket, Key = record.EncodedKey, VersionId = record.VersionId, ETag = record.ETag, SqsMessageId = record.SqsMessageId };

        var (work, skipReason) = Admit(record);
        if (work is null)
            return (result with { Message = skipReason, DurationMs = ElapsedMs(started) }, StepTimings.None);

        result = result with { Key = work.Key };
        var (outcome, timings) = await IngestAsync(work, result, started, context, cancellationToken).ConfigureAwait(false);
        return (outcome with { DurationMs = ElapsedMs(started) }, timings);
    }

    /// <summary>The record's object, decoded and checked, or why it is skipped.</summary>
    private (AdmittedObject? Work, string? SkipReason) Admit(IncomingRecord record)
    {
        switch (record.Kind)
        {
            case IncomingRecordKind.TestEvent:
                return (null, "s3:TestEvent (sent when a notification is configured)");
            case IncomingRecordKind.Unrecognised:
                return (null, record.Problem);
        }

        if (record.EventName is null || !record.EventName.StartsWith("ObjectCreated:", StringComparison.Ordinal))
            return (null, $"not an ObjectCreated event ({record.EventName ?? "no eventName"})");
        if (string.IsNullOrEmpty(record.Bucket) || string.IsNullOrEmpty(record.EncodedKey))
            return (null, "the record names no bucket or no key");
        if (!FormUrlKey.TryDecode(record.EncodedKey, out var key, out var decodeError))
            return (null, $"the key cannot be decoded: {decodeError}");
        if (FormUrlKey.FindHostileContent(key) is { } hostile)
            return (null, hostile);
        if (!_layout.IsLandingFile(key))
        {
            return (null, key.EndsWith('/') ? "a folder marker" : $"not under LANDING_PREFIX '{config.Prefixes.Landing}'");
        }
        if (!TryParseEventTime(record.EventTime, out var eventTime))
            return (null, $"eventTime '{record.EventTime}' is not an ISO-8601 time");
        if (LongestDerivedKeyBytes(key) > MaxKeyBytes)
            return (null, $"the key is too long for the lake's keys, which keep the path below LANDING_PREFIX (S3 allows {MaxKeyBytes} bytes)");
        if (FormUrlKey.ToMetadataValue(key).Length > MaxKeyMetadataChars)
            return (null, $"the key is too long to record in object metadata (S3 allows 2 KB of metadata; the percent-encoded key needs {FormUrlKey.ToMetadataValue(key).Length} characters)");

        var eTag = record.ETag is null ? null : SourceIdentity.Unquote(record.ETag);
        return (new AdmittedObject(record.Bucket, key, SourceIdentity.RealVersionId(record.VersionId), eTag, eventTime), null);
    }

    private async Task<(RecordResult Result, StepTimings Timings)> IngestAsync(
        AdmittedObject source, RecordResult result, long started, ILambdaContext context, CancellationToken cancellationToken)
    {
        var destinationBucket = config.DestinationBucket ?? source.Bucket;
        if (await FindFinishedRunAsync(source, destinationBucket, cancellationToken).ConfigureAwait(false) is { } earlier)
            return (earlier, StepTimings.None);

        // With a version id the read is pinned anyway; whether that version is still the current one is a separate question.
        if (source.VersionId is not null)
        {
            var current = await HeadOrNullAsync(source.Bucket, source.Key, cancellationToken).ConfigureAwait(false);
            if (current is null)
                return (result with { Outcome = Outcomes.Missing, Message = "the object was deleted after the event" }, StepTimings.None);
            if (SourceIdentity.RealVersionId(current.VersionId) != source.VersionId)
                return (result with { Outcome = Outcomes.Superseded, Message = $"version {source.VersionId} is no longer current ({current.VersionId} is)" }, StepTimings.None);
        }

        // Read once, streamed straight into the validator.
        var validationClock = Stopwatch.StartNew();
        ValidationResult validation;
        SourceIdentity identity;
        long size;
        string? contentType;
        var get = new GetObjectRequest { BucketName = source.Bucket, Key = source.Key, VersionId = source.VersionId };
        if (source.VersionId is null && source.ETag is not null)
            get.EtagToMatch = SourceIdentity.Quote(source.ETag);
        try
        {
            using var response = await s3.GetObjectAsync(get, cancellationToken).ConfigureAwait(false);
            validation = await CsvValidator.ValidateAsync(response.ResponseStream, config.Validation, cancellationToken).ConfigureAwait(false);
            size = response.ContentLength;
            if (validation.Bytes != size)
                throw new IOException($"Read {validation.Bytes} bytes of s3://{source.Bucket}/{source.Key} but S3 announced {size}.");
            contentType = response.Headers.ContentType;
            // Pin the copy to what was read: the response's version id is firmer than an ETag (moto ignores CopySourceIfMatch).
            identity = new SourceIdentity(source.Key, source.VersionId ?? SourceIdentity.RealVersionId(response.VersionId),
                SourceIdentity.Unquote(response.ETag));
        }
        catch (AmazonS3Exception e) when (SourceGone(e) is { } gone)
        {
            return (result with { Outcome = gone.Outcome, Message = gone.Message }, StepTimings.None);
        }
        validationClock.Stop();

        var accepted = validation.Accepted && validation.Dataset is not null;
        var destinationKey = accepted ? _layout.RawKey(validation.Dataset!, source.EventTime, source.Key) : _layout.QuarantineKey(source.EventTime, source.Key);
        var reportKey = accepted ? _layout.ManifestKey(validation.Dataset!, source.EventTime, source.Key) : _layout.QuarantineReportKey(source.EventTime, source.Key);
        result = result with
        {
            VersionId = identity.VersionId,
            ETag = identity.ETag,
            Outcome = accepted ? Outcomes.Accepted : Outcomes.Rejected,
            Dataset = validation.Dataset,
            DestinationBucket = destinationBucket,
            DestinationKey = destinationKey,
            ReportKey = reportKey,
            Rows = validation.Rows,
            Bytes = validation.Bytes,
            ErrorCount = validation.ErrorCount,
            Message = accepted ? null : DescribeErrors(validation),
        };

        // From here on one run at a time per destination (RecordClaims): duplicates delivered at once must not all copy.
        var claim = await _claims.AcquireAsync(destinationBucket, reportKey + RecordClaims.Suffix, identity, context.AwsRequestId, context.RemainingTime,
            () => IsFinishedAsync(destinationBucket, destinationKey, reportKey, identity, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return (result with { Outcome = Outcomes.Duplicate, Message = $"already ingested as {result.Outcome} by a concurrent run (s3://{destinationBucket}/{destinationKey})" },
                new StepTimings(validationClock.ElapsedMilliseconds, 0));
        }
        try
        {
            return await CopyAndReportAsync(source, result, started, context, validation, identity, size, contentType, destinationBucket, destinationKey, reportKey,
                validationClock.ElapsedMilliseconds, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _claims.ReleaseAsync(claim).ConfigureAwait(false);
        }
    }

    /// <summary>Under the claim: copy unless an earlier run already did, then write the report last.</summary>
    private async Task<(RecordResult Result, StepTimings Timings)> CopyAndReportAsync(
        AdmittedObject source, RecordResult result, long started, ILambdaContext context, ValidationResult validation, SourceIdentity identity,
        long size, string? contentType, string destinationBucket, string destinationKey, string reportKey, long validationMs, CancellationToken cancellationToken)
    {
        // Checked again now that the destination is known and claimed: a run that finished just before, or one interrupted between copy and report.
        var copyClock = new Stopwatch();
        var existingCopy = await HeadOrNullAsync(destinationBucket, destinationKey, cancellationToken).ConfigureAwait(false);
        var copyDone = existingCopy is not null && identity.Matches(existingCopy.Metadata);
        if (copyDone)
        {
            var existingReport = await HeadOrNullAsync(destinationBucket, reportKey, cancellationToken).ConfigureAwait(false);
            if (existingReport is not null && identity.Matches(existingReport.Metadata))
            {
                return (result with { Outcome = Outcomes.Duplicate, Message = $"already ingested as {result.Outcome} (s3://{destinationBucket}/{destinationKey})" },
                    new StepTimings(validationMs, 0));
            }
            result = result with { Message = Join(result.Message, "the copy was already in place from an interrupted run; wrote its missing report") };
        }
        else
        {
            EnsureTimeForCopy(size, context.RemainingTime, source);
            copyClock.Start();
            var plan = new CopyPlan(source.Bucket, source.Key, identity.VersionId, identity.ETag, size, contentType, destinationBucket, destinationKey,
                metadata => WriteCopyMetadata(metadata, identity, validation));
            try
            {
                await _copy.CopyAsync(plan, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (SourceGone(e) is { } gone)
            {
                return (result with { Outcome = gone.Outcome, Message = $"{gone.Message} (during the copy)" }, new StepTimings(validationMs, copyClock.ElapsedMilliseconds));
            }
            copyClock.Stop();
        }

        var report = IngestReport.From(validation, time.GetUtcNow(), ElapsedMs(started),
            new SourceInfo(source.Bucket, source.Key, identity.VersionId, identity.ETag, size, source.EventTime),
            new DestinationInfo(destinationBucket, destinationKey));
        await WriteReportAsync(destinationBucket, reportKey, report, identity, cancellationToken).ConfigureAwait(false);
        return (result, new StepTimings(validationMs, copyClock.ElapsedMilliseconds));
    }

    /// <summary>Both the copy and its report name this source version: another run finished the work.</summary>
    private async Task<bool> IsFinishedAsync(string bucket, string destinationKey, string reportKey, SourceIdentity identity, CancellationToken cancellationToken)
    {
        var report = await HeadOrNullAsync(bucket, reportKey, cancellationToken).ConfigureAwait(false);
        if (report is null || !identity.Matches(report.Metadata))
            return false;
        var copy = await HeadOrNullAsync(bucket, destinationKey, cancellationToken).ConfigureAwait(false);
        return copy is not null && identity.Matches(copy.Metadata);
    }

    /// <summary>
    /// A finished earlier run for the event's object version, found without reading the object: its report (written
    /// last) and its copy both name this source in their metadata. The destination depends on the verdict, so every
    /// possible place is asked at once: each dataset's manifest and the quarantine report.
    /// </summary>
    private async Task<RecordResult?> FindFinishedRunAsync(AdmittedObject source, string destinationBucket, CancellationToken cancellationToken)
    {
        if (source.VersionId is null && source.ETag is null)
            return null;
        var identity = new SourceIdentity(source.Key, source.VersionId, source.ETag ?? "");
        var places = config.Validation.Schemas.Datasets
            .Select(d => (Dataset: (string?)d.Name, Data: _layout.RawKey(d.Name, source.EventTime, source.Key), Report: _layout.ManifestKey(d.Name, source.EventTime, source.Key)))
            .Append((Dataset: null, Data: _layout.QuarantineKey(source.EventTime, source.Key), Report: _layout.QuarantineReportKey(source.EventTime, source.Key)))
            .ToList();
        var reports = await Task.WhenAll(places.Select(p => HeadOrNullAsync(destinationBucket, p.Report, cancellationToken))).ConfigureAwait(false);
        for (var i = 0; i < places.Count; i++)
        {
            if (reports[i] is not { } report || !identity.Matches(report.Metadata))
                continue;
            var data = await HeadOrNullAsync(destinationBucket, places[i].Data, cancellationToken).ConfigureAwait(false);
            if (data is null || !identity.Matches(data.Metadata))
                continue;
            var verdict = places[i].Dataset is null ? Outcomes.Rejected : Outcomes.Accepted;
            return new RecordResult
            {
                Bucket = source.Bucket,
                Key = source.Key,
                VersionId = SourceIdentity.RealVersionId(data.Metadata[SourceIdentity.VersionIdField]) ?? source.VersionId,
                ETag = data.Metadata[SourceIdentity.ETagField] ?? source.ETag,
                Outcome = Outcomes.Duplicate,
                Dataset = data.Metadata[SourceIdentity.DatasetField],
                DestinationBucket = destinationBucket,
                DestinationKey = places[i].Data,
                ReportKey = places[i].Report,
                Rows = long.TryParse(data.Metadata[SourceIdentity.RowsField], NumberStyles.None, CultureInfo.InvariantCulture, out var rows) ? rows : null,
                Bytes = data.ContentLength,
                Message = $"already ingested as {verdict} (s3://{destinationBucket}/{places[i].Data}); not read again",
            };
        }
        return null;
    }

    private static void WriteCopyMetadata(MetadataCollection metadata, SourceIdentity identity, ValidationResult validation)
    {
        identity.WriteTo(metadata);
        metadata.Add(SourceIdentity.RowsField, validation.Rows.ToString(CultureInfo.InvariantCulture));
        metadata.Add(SourceIdentity.Sha256Field, validation.Sha256);
        if (validation.Dataset is not null)
            metadata.Add(SourceIdentity.DatasetField, validation.Dataset);
    }

    private async Task WriteReportAsync(string bucket, string key, IngestReport report, SourceIdentity identity, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            ContentType = "application/json",
            InputStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(report, ReportJsonContext.Default.IngestReport)),
        };
        identity.WriteTo(request.Metadata);
        await s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses a copy that would probably outlive the invocation: a conservative fixed margin plus the object's size at
    /// a conservative copy speed. Refusing before starting leaves nothing behind for the retry.
    /// </summary>
    private void EnsureTimeForCopy(long size, TimeSpan remaining, AdmittedObject source)
    {
        var needed = config.DeadlineMargin + TimeSpan.FromSeconds((double)size / config.CopyBytesPerSecond);
        if (needed > remaining)
        {
            throw new DeadlineException(
                $"Not starting the copy of s3://{source.Bucket}/{source.Key} ({size} bytes): it needs about {needed.TotalSeconds:F1} s "
                + $"(DEADLINE_MARGIN_MS plus size / COPY_BYTES_PER_SECOND) and {remaining.TotalSeconds:F1} s remain; the retry will start clean.");
        }
    }

    private async Task<GetObjectMetadataResponse?> HeadOrNullAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// 412: the object changed since the event; 404 NoSuchKey/NoSuchVersion (or 405 on a delete marker): it is gone.
    /// Any other 404 (NoSuchBucket) is a failure: the bucket itself is not where the event says.
    /// </summary>
    private static (string Outcome, string Message)? SourceGone(AmazonS3Exception e) => e.StatusCode switch
    {
        HttpStatusCode.PreconditionFailed => (Outcomes.Superseded, "the object was overwritten after the event (its ETag no longer matches)"),
        HttpStatusCode.NotFound when e.ErrorCode is "NoSuchKey" or "NoSuchVersion" => (Outcomes.Missing, $"the object was deleted after the event ({e.ErrorCode})"),
        HttpStatusCode.MethodNotAllowed => (Outcomes.Missing, "the event's version is a delete marker now"),
        _ => null,
    };

    private static string DescribeErrors(ValidationResult validation)
    {
        var first = validation.Errors.Take(3).Select(e =>
            e.Line == 0 ? $"{e.Code}: {e.Message}"
            : e.Column.Length == 0 ? $"line {e.Line}: {e.Code}: {e.Message}"
            : $"line {e.Line}, column {e.Column}: {e.Code}: {e.Message}");
        var text = string.Join("; ", first);
        return validation.ErrorCount > 3 ? $"{validation.ErrorCount} errors; first: {text}" : text;
    }

    private static string Join(string? first, string second) => first is null ? second : $"{first}; {second}";

    private long ElapsedMs(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>The longest key this landing key produces (the claim beside a manifest or quarantine report), in UTF-8 bytes.</summary>
    private int LongestDerivedKeyBytes(string key)
    {
        var probe = DateTimeOffset.UnixEpoch;
        var longest = Encoding.UTF8.GetByteCount(_layout.QuarantineReportKey(probe, key));
        foreach (var dataset in config.Validation.Schemas.Datasets)
            longest = Math.Max(longest, Encoding.UTF8.GetByteCount(_layout.ManifestKey(dataset.Name, probe, key)));
        return longest + RecordClaims.Suffix.Length;
    }

    /// <summary>eventTime in UTC; S3 writes a trailing Z, moto none, which DESIGN.md says means UTC.</summary>
    internal static bool TryParseEventTime(string? text, out DateTimeOffset eventTime)
    {
        eventTime = default;
        if (string.IsNullOrEmpty(text) || text.Length < 19 || text[4] != '-' || text[10] != 'T')
            return false;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return false;
        eventTime = parsed.ToUniversalTime();
        return true;
    }

    private sealed record AdmittedObject(string Bucket, string Key, string? VersionId, string? ETag, DateTimeOffset EventTime);
}
