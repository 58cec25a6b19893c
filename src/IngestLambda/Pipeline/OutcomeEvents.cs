using IngestLambda.Core.Reports;
using IngestLambda.Notifications;

namespace IngestLambda.Pipeline;

/// <summary>
/// The outcome event of a record (docs/contracts.md "Outcome events"): only a file this run accepted or rejected
/// has one. A duplicate was announced by the run that wrote it; skipped, superseded, missing and failed records
/// are no file outcome (a failed one is retried and announced then).
/// </summary>
internal static class OutcomeEvents
{
    public static (string DetailType, OutcomeDetail Detail)? For(RecordRun run, RecordResult result)
    {
        var detailType = result.Outcome switch
        {
            Outcomes.Accepted => OutcomeEvent.FileAccepted,
            Outcomes.Rejected => OutcomeEvent.FileRejected,
            _ => null,
        };
        if (detailType is null)
            return null;
        var errors = run.Verdict?.Validation.Errors.Take(OutcomeEvent.MaxListed)
            .Select(e => new OutcomeError(e.Line, e.Column, e.Code, e.Message)).ToList() ?? [];
        return (detailType, new OutcomeDetail
        {
            Outcome = result.Outcome,
            Dataset = result.Dataset,
            Source = new OutcomeSource(result.Bucket, result.Key, result.VersionId, result.ETag),
            Destination = new OutcomeDestination(result.DestinationBucket, result.DestinationKey, result.ReportKey),
            Rows = result.Rows,
            ErrorCount = result.ErrorCount,
            Errors = errors,
        });
    }
}
