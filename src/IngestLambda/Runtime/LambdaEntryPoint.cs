namespace IngestLambda.Runtime;

/// <summary>Runs the Lambda Runtime API loop for <see cref="Ingestion.IngestFunction"/> (owned by the runtime work).</summary>
internal static class LambdaEntryPoint
{
    public static Task<int> RunAsync(string runtimeApi)
    {
        Console.Error.WriteLine($"runtime loop not built yet ({runtimeApi})");
        return Task.FromResult(1);
    }
}
