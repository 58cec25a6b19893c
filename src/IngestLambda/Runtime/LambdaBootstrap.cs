using System.Net;

namespace IngestLambda.Runtime;

/// <summary>
/// The invocation loop, shaped like Amazon.Lambda.RuntimeSupport's LambdaBootstrap: get the next event, run the
/// handler, post its response or its error, repeat. Returns (ends the process) only when the Runtime API says the
/// environment is unusable (a 5xx, or it is unreachable) or the token is cancelled.
/// </summary>
internal sealed class LambdaBootstrap(RuntimeApiClient client, LambdaBootstrapHandler handler, TextWriter? log = null)
{
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>errorType (and header) reported when the Runtime API refuses a response as too large (413).</summary>
    public const string ResponseTooLargeErrorType = "Function.ResponseSizeTooLarge";

    private readonly TextWriter _log = log ?? Console.Error;

    /// <returns>The process exit code: 0 when cancelled, 1 when the Runtime API failed.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
                await InvokeOnceAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception ex)
        {
            // Handler failures never get here. What does: a 500 ("non-recoverable state, the runtime should exit
            // promptly" in the docs), an unreachable Runtime API (the environment is gone) or an invocation the
            // runtime cannot read. Either way there is nothing left to serve.
            await _log.WriteLineAsync($"Runtime API failure, exiting: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>One turn of the loop; an exception escapes only when the loop must stop.</summary>
    internal async Task InvokeOnceAsync(CancellationToken cancellationToken)
    {
        using var invocation = await client.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false);
        var requestId = invocation.LambdaContext.AwsRequestId;

        // X-Ray and the AWS SDK read the trace header from the environment; a stale one must not leak into the
        // next invocation, so it is cleared when absent.
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.LambdaContext.TraceId);

        InvocationResponse response;
        try
        {
            response = await handler(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            await _log.WriteLineAsync($"{requestId}\tERROR\t{ex}").ConfigureAwait(false);
            await ReportErrorAsync(requestId, ErrorResponse.FromException(ex), cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await client.SendResponseAsync(requestId, response.OutputStream, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeApiException ex) when (ex.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            // The response exceeds Lambda's payload limit: the invocation failed, the runtime did not.
            await _log.WriteLineAsync($"{requestId}\tERROR\t{ex.Message}").ConfigureAwait(false);
            var error = new ErrorResponse(ex.Message, ResponseTooLargeErrorType, []);
            await ReportErrorAsync(requestId, error, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeApiException ex) when (!IsFatal(ex))
        {
            // 400/403: e.g. the invocation already timed out or was answered; log it and take the next event.
            await _log.WriteLineAsync($"{requestId}\tWARN\t{ex.Message}").ConfigureAwait(false);
        }
        finally
        {
            await response.OutputStream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ReportErrorAsync(string requestId, ErrorResponse error, CancellationToken cancellationToken)
    {
        try
        {
            await client.ReportInvocationErrorAsync(requestId, error, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeApiException ex) when (!IsFatal(ex))
        {
            await _log.WriteLineAsync($"{requestId}\tWARN\t{ex.Message}").ConfigureAwait(false);
        }
    }

    private static bool IsFatal(RuntimeApiException ex) => (int)ex.StatusCode >= 500;
}
