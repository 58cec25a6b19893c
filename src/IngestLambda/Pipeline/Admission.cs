using System.Globalization;
using System.Text;
using IngestLambda.Configuration;
using IngestLambda.Core.Lake;
using IngestLambda.Events;
using IngestLambda.Lake;

namespace IngestLambda.Pipeline;

/// <summary>Either an object to ingest or the reason the record is skipped.</summary>
internal readonly record struct AdmissionDecision(SourceVersion? Source, string? SkipReason)
{
    public static AdmissionDecision Skip(string? reason) => new(null, reason);
}

/// <summary>
/// The first step, pure (no S3): decode and guard the key, skip what is not a landed file or whose event time would
/// file it under a wrong date, and make sure every key this landing key produces fits S3's limits.
/// </summary>
internal sealed class Admission(IngestConfig config, TimeProvider time)
{
    /// <summary>An event time later than now plus this is not believed (clocks and queues lag, but not by a day).</summary>
    internal static readonly TimeSpan MaxEventTimeAhead = TimeSpan.FromDays(1);

    /// <summary>No S3 object is older than S3 (launched in March 2006): an earlier event time is not believed.</summary>
    internal static readonly DateTimeOffset EarliestEventTime = new(2006, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private const int MaxKeyBytes = 1024;
    /// <summary>S3 allows 2 KB of user metadata per object; the other ingest fields take under 300 bytes.</summary>
    private const int MaxKeyMetadataChars = 1600;
    private readonly LakeLayout _layout = config.Layout;

    public AdmissionDecision Admit(IncomingRecord record)
    {
        switch (record.Kind)
        {
            case IncomingRecordKind.TestEvent:
                return AdmissionDecision.Skip("s3:TestEvent (sent when a notification is configured)");
            case IncomingRecordKind.Unrecognised:
                return AdmissionDecision.Skip(record.Problem);
        }

        if (record.EventName is null || !record.EventName.StartsWith("ObjectCreated:", StringComparison.Ordinal))
            return AdmissionDecision.Skip($"not an ObjectCreated event ({record.EventName ?? "no eventName"})");
        if (string.IsNullOrEmpty(record.Bucket) || string.IsNullOrEmpty(record.EncodedKey))
            return AdmissionDecision.Skip("the record names no bucket or no key");
        if (!FormUrlKey.TryDecode(record.EncodedKey, out var key, out var decodeError))
            return AdmissionDecision.Skip($"the key cannot be decoded: {decodeError}");
        if (FormUrlKey.FindHostileContent(key) is { } hostile)
            return AdmissionDecision.Skip(hostile);
        if (!_layout.IsLandingFile(key))
            return AdmissionDecision.Skip(key.EndsWith('/') ? "a folder marker" : $"not under LANDING_PREFIX '{config.Prefixes.Landing}'");
        if (!TryParseEventTime(record.EventTime, out var eventTime))
            return AdmissionDecision.Skip($"eventTime '{record.EventTime}' is not an ISO-8601 time");
        if (OutsideSaneWindow(eventTime) is { } timeProblem)
            return AdmissionDecision.Skip(timeProblem);
        if (LongestDerivedKeyBytes(key) > MaxKeyBytes)
            return AdmissionDecision.Skip($"the key is too long for the lake's keys, which keep the path below LANDING_PREFIX (S3 allows {MaxKeyBytes} bytes)");
        if (FormUrlKey.ToMetadataValue(key).Length > MaxKeyMetadataChars)
        {
            return AdmissionDecision.Skip(
                $"the key is too long to record in object metadata (S3 allows 2 KB of metadata; the percent-encoded key needs {FormUrlKey.ToMetadataValue(key).Length} characters)");
        }

        var eTag = record.ETag is null ? null : S3Versions.Unquote(record.ETag);
        var sequencer = Sequencer.IsValid(record.Sequencer) ? record.Sequencer : null;
        return new AdmissionDecision(new SourceVersion(
            record.Bucket, key, _layout.RelativePath(key), S3Versions.RealVersionId(record.VersionId), eTag, record.Size, eventTime, sequencer), null);
    }

    /// <summary>eventTime in UTC; S3 writes a trailing Z, moto none, which means UTC (docs/contracts.md "Lake layout").</summary>
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

    /// <summary>
    /// The lake files an object under its event's UTC day, so a time no S3 event can carry (year 9999, 1970) would
    /// file it under a date that never was (docs/contracts.md, "Event times that are skipped"). Such a record is
    /// skipped, not guessed at; backfill files the object by its LastModified day.
    /// </summary>
    private string? OutsideSaneWindow(DateTimeOffset eventTime)
    {
        var now = time.GetUtcNow();
        if (eventTime > now + MaxEventTimeAhead)
        {
            return $"eventTime {eventTime:yyyy-MM-ddTHH:mm:ssZ} is more than a day after now ({now:yyyy-MM-ddTHH:mm:ssZ}): the object is not filed "
                + "under a date that has not come; land the file again, or run backfill, which files it by its LastModified day";
        }
        if (eventTime < EarliestEventTime)
        {
            return $"eventTime {eventTime:yyyy-MM-ddTHH:mm:ssZ} is before {EarliestEventTime:yyyy-MM-dd}, when no S3 object existed: the object is not "
                + "filed under that date; land the file again, or run backfill, which files it by its LastModified day";
        }
        return null;
    }

    /// <summary>
    /// The longest key this landing key produces, in UTF-8 bytes: the claim beside a manifest or quarantine report, or the
    /// trusted Parquet (<c>.parquet</c> in place of <c>.csv</c>: longer for a key without that suffix).
    /// </summary>
    private int LongestDerivedKeyBytes(string key)
    {
        var probe = DateTimeOffset.UnixEpoch;
        var longest = Encoding.UTF8.GetByteCount(_layout.QuarantineReportKey(probe, key)) + RecordClaims.Suffix.Length;
        foreach (var dataset in config.Validation.Schemas.Datasets)
        {
            longest = Math.Max(longest, Encoding.UTF8.GetByteCount(_layout.ManifestKey(dataset.Name, probe, key)) + RecordClaims.Suffix.Length);
            if (config.TrustedFormat == TrustedFormat.Parquet)
                longest = Math.Max(longest, Encoding.UTF8.GetByteCount(_layout.TrustedKey(dataset.Name, probe, key)));
        }
        return longest;
    }
}
