using IngestLambda.Ingestion;

namespace IngestLambda.Runtime;

/// <summary>The Lambda face of `bootstrap`: init (memory limit, configuration), then the invocation loop.</summary>
internal static class LambdaEntryPoint
{
    public static async Task<int> RunAsync(string runtimeApi)
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
            await Console.Error.WriteLineAsync($"INIT ERROR\t{ex}").ConfigureAwait(false);
            try
            {
                await client.ReportInitializationErrorAsync(ErrorResponse.FromException(ex), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception reportFailure) when (reportFailure is RuntimeApiException or HttpRequestException)
            {
                await Console.Error.WriteLineAsync($"Could not report the init error: {reportFailure.Message}").ConfigureAwait(false);
            }
            return 1;
        }

        using var ingest = function;
        var bootstrap = new LambdaBootstrap(client, async (invocation, cancellationToken) =>
        {
            var output = await function.HandleAsync(invocation.InputStream, invocation.LambdaContext, cancellationToken).ConfigureAwait(false);
            return new InvocationResponse(output);
        });
        return await bootstrap.RunAsync().ConfigureAwait(false);
    }
}
