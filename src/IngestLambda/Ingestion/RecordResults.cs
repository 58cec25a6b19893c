using System.Globalization;
using IngestLambda.Core.Validation;
using IngestLambda.Events;

namespace IngestLambda.Ingestion;

/// <summary>The <see cref="RecordResult"/> of each outcome, built in one place so every step words them alike.</summary>
internal static class RecordResults
{
    /// <summary>What the event says, before any work: <c>skipped</c> until a step decides otherwise.</summary>
    public static RecordResult Start(IncomingRecord record) => new()
    {
        Outcome = Outcomes.Skipped,
        Bucket = record.Bucket,
        Key = record.EncodedKey,
        VersionId = record.VersionId,
        ETag = record.ETag,
        SqsMessageId = record.SqsMessageId,
    };

    public static RecordResult Gone(RecordResult result, SourceGone gone) => result with { Outcome = gone.Outcome, Message = gone.Message };

    public static RecordResult Duplicate(RecordResult result, string message) => result with { Outcome = Outcomes.Duplicate, Message = message };

    /// <summary>An earlier run finished this version: what it wrote, read from the copy's metadata.</summary>
    public static RecordResult Duplicate(RecordResult result, AdmittedObject source, FinishedRun earlier)
    {
        var (place, copy) = (earlier.Place, earlier.Copy);
        var verdict = place.Accepted ? Outcomes.Accepted : Outcomes.Rejected;
        return result with
        {
            Key = source.Key,
            VersionId = SourceIdentity.RealVersionId(copy.Metadata[SourceIdentity.VersionIdField]) ?? source.VersionId,
            ETag = copy.Metadata[SourceIdentity.ETagField] ?? source.ETag,
            Outcome = Outcomes.Duplicate,
            Dataset = copy.Metadata[SourceIdentity.DatasetField],
            DestinationBucket = place.Bucket,
            DestinationKey = place.DataKey,
            ReportKey = place.ReportKey,
            Rows = long.TryParse(copy.Metadata[SourceIdentity.RowsField], NumberStyles.None, CultureInfo.InvariantCulture, out var rows) ? rows : null,
            Bytes = copy.ContentLength,
            Message = $"already ingested as {verdict} (s3://{place.Bucket}/{place.DataKey}); not read again",
        };
    }

    /// <summary>Validated again after an earlier rejection and rejected again: nothing is written, the first report stands.</summary>
    public static RecordResult StillRejected(RecordResult verdict, FinishedRun earlier) => verdict with
    {
        Outcome = Outcomes.Duplicate,
        DestinationBucket = earlier.Place.Bucket,
        DestinationKey = earlier.Place.DataKey,
        ReportKey = earlier.Place.ReportKey,
        Message = $"still rejected after validating again with today's schemas: {verdict.Message}; the quarantine copy and report stay as they were (s3://{earlier.Place.Bucket}/{earlier.Place.ReportKey})",
    };

    /// <summary>The verdict on the object read, before it is written.</summary>
    public static RecordResult Verdict(RecordResult result, ValidatedObject read, Destination destination) => result with
    {
        VersionId = read.Identity.VersionId,
        ETag = read.Identity.ETag,
        Outcome = destination.Accepted ? Outcomes.Accepted : Outcomes.Rejected,
        Dataset = read.Validation.Dataset,
        DestinationBucket = destination.Bucket,
        DestinationKey = destination.DataKey,
        ReportKey = destination.ReportKey,
        Rows = read.Validation.Rows,
        Bytes = read.Validation.Bytes,
        ErrorCount = read.Validation.ErrorCount,
        Message = destination.Accepted ? null : DescribeErrors(read.Validation),
    };

    public static string Join(string? first, string second) => first is null ? second : $"{first}; {second}";

    private static string DescribeErrors(ValidationResult validation)
    {
        var first = validation.Errors.Take(3).Select(e =>
            e.Line == 0 ? $"{e.Code}: {e.Message}"
            : e.Column.Length == 0 ? $"line {e.Line}: {e.Code}: {e.Message}"
            : $"line {e.Line}, column {e.Column}: {e.Code}: {e.Message}");
        var text = string.Join("; ", first);
        return validation.ErrorCount > 3 ? $"{validation.ErrorCount} errors; first: {text}" : text;
    }
}
