using System.Reflection;
using IngestLambda.Cli;
using IngestLambda.Runtime;

namespace IngestLambda;

/// <summary>
/// One executable, two faces: with AWS_LAMBDA_RUNTIME_API set and no arguments it is the Lambda function;
/// otherwise a command line (DESIGN.md's "Command line").
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage:
          bootstrap                          run as the Lambda function (needs AWS_LAMBDA_RUNTIME_API)
          bootstrap validate FILE [--json] [--contracts DIR]
                                             validate a local CSV against the dataset contracts (exit 0 accepted, 1 rejected, 2 error)
          bootstrap invoke --event FILE|-    run the handler once on an event against S3 and print the result JSON
          bootstrap backfill s3://BUCKET[/PREFIX] [--concurrency N] [--dry-run] [--reprocess-rejected]
                                             file every object already under the prefix (LANDING_PREFIX by default)
          bootstrap contract check DIR       validate the dataset contracts in DIR (exit 0 valid, 2 otherwise)
          bootstrap contract infer FILE [--delimiter C] [--name N]
                                             draft a dataset contract from a sample CSV, printed as JSON to review
          bootstrap replay --queue-url URL [--max N] [--dry-run]
                                             re-run the events waiting in the failure queue; delete each one finished
          bootstrap --help | --version
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
            if (!string.IsNullOrEmpty(runtimeApi))
                return await LambdaEntryPoint.RunAsync(runtimeApi).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        switch (args[0])
        {
            case "validate":
                return await ValidateCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
            case "invoke":
                return await InvokeCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
            case "backfill":
                return await BackfillCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
            case "contract":
                return await ContractCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
            case "replay":
                return await ReplayCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
            case "-h" or "--help" or "help":
                await Console.Out.WriteLineAsync(Usage).ConfigureAwait(false);
                return ExitCodes.Success;
            case "--version":
                await Console.Out.WriteLineAsync($"bootstrap {Version}").ConfigureAwait(false);
                return ExitCodes.Success;
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{args[0]}'.\n\n{Usage}").ConfigureAwait(false);
                return ExitCodes.Usage;
        }
    }

    internal static string Version =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
