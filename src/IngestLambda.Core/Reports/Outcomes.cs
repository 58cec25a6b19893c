namespace IngestLambda.Core.Reports;

/// <summary>The outcome words (docs/contracts.md "Outcomes"), plus <c>failed</c> for a record whose S3 calls failed (the invocation then fails).</summary>
public static class Outcomes
{
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Duplicate = "duplicate";
    public const string Skipped = "skipped";
    public const string Superseded = "superseded";
    public const string Missing = "missing";
    /// <summary>Only in logs and in the partial result of a failed invocation: never in a successful result.</summary>
    public const string Failed = "failed";
}
