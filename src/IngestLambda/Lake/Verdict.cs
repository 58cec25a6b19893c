using IngestLambda.Core.Reports;
using IngestLambda.Core.Validation;

namespace IngestLambda.Lake;

/// <summary>
/// The verdict on one pinned source version: its validation summary and where it goes (Raw and a manifest when
/// accepted, quarantine and a report when rejected).
/// </summary>
internal sealed record Verdict(ValidationResult Validation, Destination Destination)
{
    public bool Accepted => Destination.Accepted;

    public string Outcome => Accepted ? Outcomes.Accepted : Outcomes.Rejected;
}
