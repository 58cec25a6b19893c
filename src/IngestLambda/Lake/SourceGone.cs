using System.Net;
using Amazon.S3;
using IngestLambda.Core.Reports;

namespace IngestLambda.Lake;

/// <summary>
/// The landed object is no longer the version the event names: <c>superseded</c> or <c>missing</c>, an outcome and
/// not a failure (docs/contracts.md "Outcomes").
/// </summary>
internal sealed record SourceGone(string Outcome, string Message)
{
    /// <summary>
    /// 412: the object changed since the event; 404 NoSuchKey/NoSuchVersion (or 405 on a delete marker): it is gone.
    /// Any other 404 (NoSuchBucket) is a failure: the bucket itself is not where the event says.
    /// </summary>
    public static SourceGone? From(AmazonS3Exception e) => e.StatusCode switch
    {
        HttpStatusCode.PreconditionFailed => new(Outcomes.Superseded, "the object was overwritten after the event (its ETag no longer matches)"),
        HttpStatusCode.NotFound when e.ErrorCode is "NoSuchKey" or "NoSuchVersion" => new(Outcomes.Missing, $"the object was deleted after the event ({e.ErrorCode})"),
        HttpStatusCode.MethodNotAllowed => new(Outcomes.Missing, "the event's version is a delete marker now"),
        _ => null,
    };
}
