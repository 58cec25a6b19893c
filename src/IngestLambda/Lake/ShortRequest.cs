namespace IngestLambda.Lake;

/// <summary>
/// A time limit of their own for the small S3 requests (HEAD, the PUT of a claim or report, a claim's DELETE): a
/// stalled connection fails the request in seconds instead of at the SDK's 15-minute timeout. They still stop at the
/// invocation's deadline token, whichever comes first.
/// </summary>
internal static class ShortRequest
{
    public static async Task<T> RunAsync<T>(TimeSpan timeout, string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await call(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"S3 did not answer {what} within {timeout.TotalSeconds:F1} s.", e);
        }
    }
}
