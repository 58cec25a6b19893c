using IngestLambda.Host.Cli;
using IngestLambda.Host.Runtime;

namespace IngestLambda;

/// <summary>
/// One executable, two faces: with AWS_LAMBDA_RUNTIME_API set and no arguments it is the Lambda function;
/// otherwise a command line (docs/contracts.md "Command line").
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 && Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API") is { Length: > 0 } runtimeApi)
            return await LambdaEntryPoint.RunAsync(runtimeApi).ConfigureAwait(false);
        return await CommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
    }
}
