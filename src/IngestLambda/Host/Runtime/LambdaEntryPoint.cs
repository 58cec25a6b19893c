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

        IngestFunction function;
        try
        {
            function = IngestFunction.FromEnvironment();
        }
        catch (Exception ex)
        {
            // A bad setting (ConfigurationException names the variable) or any other start-up failure: tell Lambda
            // through /init/error, which fails the init phase with this message, then exit non-zero.
            log.Error("Init failed", ex);
            try
            {
                await client.ReportInitializationErrorAsync(ErrorReport.FromException(ex), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception reportFailure) when (reportFailure is RuntimeApiException or HttpRequestException)
            {
                log.Error("Could not report the init error", reportFailure);
            }
            return 1;
        }

        using var ingest = function;
        // From here on the validated configuration's log settings rule (before it, the lenient reading above).
        var bootstrap = new LambdaBootstrap(client, async (invocation, cancellationToken) =>
        {
            var output = await function.HandleAsync(invocation.InputStream, invocation.LambdaContext, cancellationToken).ConfigureAwait(false);
            return new InvocationResponse(output);
        }, new JsonLog(Console.Error, function.Config.Log));
        return await bootstrap.RunAsync().ConfigureAwait(false);
    }
}
