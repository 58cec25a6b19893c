using System.Net;
using IngestLambda.Observability;

namespace IngestLambda.Host.Runtime;

/// <summary>
/// The invocation loop, shaped like Amazon.Lambda.RuntimeSupport's LambdaBootstrap: get the next event, run the
/// handler, post its response or its error, repeat. Returns (ends the process) only when the Runtime API says the
/// environment is unusable (a 5xx, or it is unreachable) or the token is cancelled.
/// Everything it logs is a JSON line (Observability/JsonLog.cs), errors with their exception in the same line.
/// </summary>
internal sealed class LambdaBootstrap(RuntimeApiClient client, LambdaBootstrapHandler handler, JsonLog? log = null)
{
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>errorType (and header) reported when the Runtime API refuses a response as too large (413).</summary>
    public const string ResponseTooLargeErrorType = "Function.ResponseSizeTooLarge";

    private readonly JsonLog _log = log ?? new JsonLog(Console.Error, LogSettings.FromEnvironment());

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
            _log.Error("Runtime API failure, exiting", ex);
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
            _log.Error("The invocation failed", ex, requestId);
            await ReportErrorAsync(requestId, ErrorReport.FromException(ex), cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await client.SendResponseAsync(requestId, response.OutputStream, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeApiException ex) when (ex.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            // The response exceeds Lambda's payload limit: the invocation failed, the runtime did not.
            _log.Error("The response is too large for Lambda", ex, requestId);
            var error = new ErrorReport(ResponseTooLargeErrorType, ex.Message);
            await ReportErrorAsync(requestId, error, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeApiException ex) when (!IsFatal(ex))
        {
            // 400/403: e.g. the invocation already timed out or was answered; log it and take the next event.
            _log.Message(LogLevel.Warn, $"The Runtime API refused the response: {ex.Message}", requestId);
        }
        finally
        {
            await response.OutputStream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Posts the error, with its X-Ray cause when tracing is on (Lambda passed a trace id).</summary>
    private async Task ReportErrorAsync(string requestId, ErrorReport error, CancellationToken cancellationToken)
    {
        var xrayCause = string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TraceIdVariable))
            ? null
            : error.ToXRayCause(Directory.GetCurrentDirectory());
        try
        {
            await client.ReportInvocationErrorAsync(requestId, error, xrayCause, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeApiException ex) when (!IsFatal(ex))
        {
            _log.Message(LogLevel.Warn, $"The Runtime API refused the error report: {ex.Message}", requestId);
        }
    }

    private static bool IsFatal(RuntimeApiException ex) => (int)ex.StatusCode >= 500;
}
