using Amazon.Runtime;

namespace IngestLambda.Host.Operations;

/// <summary>
/// An operator command could not start its work: the first S3 listing or SQS receive failed (a missing bucket or
/// queue, denied access, an unreachable endpoint), so nothing was done. Exit 2 (Cli/ExitCodes.cs).
/// </summary>
internal sealed class CannotStartException(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>The failures of an AWS call that say the bucket, queue or endpoint cannot be used, as opposed to a bug.</summary>
    public static bool IsAccessFailure(Exception e) => e is AmazonServiceException or AmazonClientException or HttpRequestException;

    /// <summary>"404 NoSuchBucket: The specified bucket does not exist", or the message of a network failure.</summary>
    public static string Describe(Exception e) => e is AmazonServiceException { StatusCode: var status } service && status != default
        ? $"{(int)status} {service.ErrorCode}: {service.Message}"
        : $"{e.GetType().Name}: {e.Message}";
}
