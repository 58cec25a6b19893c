using IngestLambda.Configuration;
using IngestLambda.Observability;
using IngestLambda.Pipeline;

namespace IngestLambda.Host.Runtime;

/// <summary>
/// The Lambda face of `bootstrap`: init (memory limit, configuration), then the invocation loop. Everything it writes
/// is a JSON log line (Observability/JsonLog.cs), init errors and unexpected crashes included.
/// </summary>
internal static class LambdaEntryPoint
{
    public static async Task<int> RunAsync(string runtimeApi)
    {
        var log = new JsonLog(Console.Error, LogSettings.FromEnvironment());
        try
        {
            return await RunAsync(runtimeApi, log).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Nothing should get here; if something does, it is still one JSON line Lambda's filter keeps.
            log.Error("The runtime crashed", ex, level: LogLevel.Fatal);
            return 1;
        }
    }

    private static async Task<int> RunAsync(string runtimeApi, JsonLog log)
    {
        MemoryLimit.Apply();
        using var client = new RuntimeApiClient(runtimeApi);

        IngestConfig config;
        try
        {
            config = IngestConfig.FromEnvironment();
        }
        catch (Exception ex)
        {
            // A bad setting (ConfigurationException names the variable, ContractException the contract file): tell
            // Lambda through /init/error, which fails the init phase with this message, then exit non-zero.
            await ReportInitErrorAsync(client, log, ex).ConfigureAwait(false);
            return 1;
        }

        // The first GET /next does not need the S3 client and the rest of the function; the first event does. So they
        // are built on another thread while that request waits for an event (docs/benchmarks.md "Cold start"). A
        // failure there (not a bad setting: those are caught above) can no longer be an init error: each invocation
        // of this environment then reports it as its own error, and the events are retried as for any failure.
        var function = Task.Run(() => IngestFunction.FromConfig(config));
        try
        {
            // From here on the validated configuration's log settings rule (before it, the lenient reading above).
            var bootstrap = new LambdaBootstrap(client, async (invocation, cancellationToken) =>
            {
                var ingest = await function.ConfigureAwait(false);
                var output = await ingest.HandleAsync(invocation.InputStream, invocation.LambdaContext, cancellationToken).ConfigureAwait(false);
                return new InvocationResponse(output);
            }, new JsonLog(Console.Error, config.Log));
            return await bootstrap.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            if (function.IsCompletedSuccessfully)
                function.Result.Dispose();
        }
    }

    private static async Task ReportInitErrorAsync(RuntimeApiClient client, JsonLog log, Exception ex)
    {
        log.Error("Init failed", ex);
        try
        {
            await client.ReportInitializationErrorAsync(ErrorReport.FromException(ex), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception reportFailure) when (reportFailure is RuntimeApiException or HttpRequestException)
        {
            log.Error("Could not report the init error", reportFailure);
        }
    }
}
