using System.Globalization;
using IngestLambda.Core.Reports;
using IngestLambda.Core.Validation;
using IngestLambda.Events;
using IngestLambda.Lake;
using IngestLambda.Lake.Trusted;

namespace IngestLambda.Pipeline;

/// <summary>
/// One record's way through the pipeline: what the event said, the source version once admitted (then pinned by the
/// read), the verdict once known, and the time each expensive step took. Every <see cref="RecordResult"/> is built
/// here, by <see cref="Finish"/>, so every step words its outcome alike.
/// </summary>
internal sealed class RecordRun(IncomingRecord record, ILambdaContext context, RunOptions options, long started)
{
    public IncomingRecord Record { get; } = record;
    public ILambdaContext Context { get; } = context;
    public RunOptions Options { get; } = options;
    /// <summary>The <see cref="TimeProvider"/> timestamp the record's work started at.</summary>
    public long Started { get; } = started;

    /// <summary>Set by admission; replaced by its pinned value after the read.</summary>
    public SourceVersion? Source { get; set; }
    /// <summary>Set once the object was read and judged.</summary>
    public Verdict? Verdict { get; set; }
    /// <summary>The trusted zone's Parquet, written during the read and committed with the verdict (null: TRUSTED_FORMAT=none or a dry run).</summary>
    public TrustedRowSink? Trusted { get; set; }
    /// <summary>The earlier rejection this run validates again (<c>backfill --reprocess-rejected</c>).</summary>
    public FinishedRun? Reprocessing { get; set; }

    public long ValidationMs { get; set; }
    public long CopyMs { get; set; }

    public RecordResult Skipped(string? reason) => Finish(Outcomes.Skipped, reason);

    public RecordResult Gone(SourceGone gone) => Finish(gone.Outcome, gone.Message);

    /// <summary>Another run (concurrent, or finished between the checks) did this version's work.</summary>
    public RecordResult Duplicate(string message) => Finish(Outcomes.Duplicate, message);

    /// <summary>An earlier run finished this version: what it wrote, read from its copy's metadata.</summary>
    public RecordResult Duplicate(FinishedRun earlier)
    {
        var verdict = earlier.Place.Accepted ? Outcomes.Accepted : Outcomes.Rejected;
        return Finish(Outcomes.Duplicate, $"already ingested as {verdict} (s3://{earlier.Place.Bucket}/{earlier.Place.DataKey}); not read again", earlier);
    }

    /// <summary>Validated again after an earlier rejection and rejected again: nothing is written, the first report stands.</summary>
    public RecordResult StillRejected(FinishedRun earlier) => Finish(Outcomes.Duplicate,
        $"still rejected after validating again with today's schemas: {DescribeErrors()}; the quarantine copy and report stay as they were (s3://{earlier.Place.Bucket}/{earlier.Place.ReportKey})",
        place: earlier.Place);

    /// <summary>Validated again and found invalid where nothing is written for it (<c>backfill --trusted-only</c>): skipped, with the first errors.</summary>
    public RecordResult SkippedInvalid(string reason) => Finish(Outcomes.Skipped, $"{reason}: {DescribeErrors()}");

    /// <summary>The verdict, written (or, for a dry run, what would be written), with any notes of the write.</summary>
    public RecordResult Judged(string? note = null)
    {
        var verdict = Verdict ?? throw new InvalidOperationException("No verdict yet.");
        return Finish(verdict.Outcome, Join(verdict.Accepted ? null : DescribeErrors(), note));
    }

    /// <summary>S3 or the network failed: the record is retried (the invocation fails, or its SQS message is redelivered).</summary>
    public RecordResult Failed(Exception e) => Finish(Outcomes.Failed, $"{e.GetType().Name}: {e.Message}");

    public static string? Join(string? first, string? second) => first is null ? second : second is null ? first : $"{first}; {second}";

    /// <summary>The one place a <see cref="RecordResult"/> is made.</summary>
    private RecordResult Finish(string outcome, string? message, FinishedRun? earlier = null, Destination? place = null)
    {
        var validation = Verdict?.Validation;
        var destination = place ?? earlier?.Place ?? Verdict?.Destination;
        var metadata = earlier?.Copy.Metadata;
        return new RecordResult
        {
            Bucket = Record.Bucket,
            Key = Source?.Key ?? (outcome == Outcomes.Failed && FormUrlKey.TryDecode(Record.EncodedKey ?? "", out var key, out _) ? key : Record.EncodedKey),
            VersionId = S3Versions.RealVersionId(metadata?[LakeMetadata.SourceVersionId]) ?? (Source is { IsPinned: true } pinned ? pinned.VersionId : Source?.VersionId ?? Record.VersionId),
            ETag = metadata?[LakeMetadata.SourceETag] ?? (Source is { IsPinned: true } read ? read.ETag : Record.ETag),
            SqsMessageId = Record.SqsMessageId,
            Outcome = outcome,
            Dataset = metadata is not null ? metadata[LakeMetadata.Dataset] : validation?.Dataset,
            DestinationBucket = destination?.Bucket,
            DestinationKey = destination?.DataKey,
            ReportKey = destination?.ReportKey,
            Rows = metadata is not null ? ParseOrNull(metadata[LakeMetadata.Rows]) : validation?.Rows,
            Bytes = earlier is not null ? earlier.Copy.ContentLength : validation?.Bytes,
            ErrorCount = earlier is not null ? null : validation?.ErrorCount,
            Message = message,
        };
    }

    private static long? ParseOrNull(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private string DescribeErrors()
    {
        var validation = Verdict!.Validation;
        var first = validation.Errors.Take(3).Select(Describe);
        var text = string.Join("; ", first);
        var capped = validation.ErrorCountCapped ? "+" : "";
        return validation.ErrorCount > 3 ? $"{validation.ErrorCount}{capped} errors; first: {text}" : text;
    }

    private static string Describe(ValidationError e) =>
        e.Line == 0 ? $"{e.Code}: {e.Message}"
        : e.Column.Length == 0 ? $"line {e.Line}: {e.Code}: {e.Message}"
        : $"line {e.Line}, column {e.Column}: {e.Code}: {e.Message}";
}
