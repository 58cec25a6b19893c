using System.Reflection;
using ConsoleAppFramework;

namespace IngestLambda.Host.Cli;

/// <summary>
/// The command line (docs/contracts.md "Command line"): one ConsoleAppFramework parser declares every command and
/// option (<see cref="CommandDeclarations"/>); the commands' files do the work. Exit codes: what the command returns,
/// 0 for <c>--help</c>/<c>--version</c>, 2 for every usage error (docs/benchmarks.md "CLI parser" says why this parser).
/// </summary>
internal static class CommandLine
{
    internal const string Overview = """
        Usage:
          bootstrap                          run as the Lambda function (needs AWS_LAMBDA_RUNTIME_API)
          bootstrap validate FILE [--json] [--contracts DIR]
                                             validate a local CSV against the dataset contracts (exit 0 accepted, 1 rejected, 2 error)
          bootstrap invoke --event FILE|- [--timeout SECONDS]
                                             run the handler once on an event against S3 and print the result JSON
          bootstrap backfill s3://BUCKET[/PREFIX] [--concurrency N] [--dry-run] [--reprocess-rejected] [--trusted-only]
                                             file every object already under the prefix (LANDING_PREFIX by default);
                                             --trusted-only: write the trusted Parquet of the copies in Raw (RAW_PREFIX)
          bootstrap replay --queue-url URL [--max N] [--dry-run]
                                             re-run the events waiting in the failure queue; delete each one finished
          bootstrap contract check DIR       validate the dataset contracts in DIR (exit 0 valid, 2 otherwise)
          bootstrap contract infer FILE [--delimiter C] [--name N]
                                             draft a dataset contract from a sample CSV, printed as JSON to review
          bootstrap quality s3://BUCKET [--dataset D] [--date yyyy-MM-dd] [--rules FILE] [--json]
                                             compare each dataset's newest profile with the previous day's (manifests only)
          bootstrap COMMAND --help           the command's arguments and options
          bootstrap --help | --version

        Exit codes, the same for every command: 0 done; 1 ran, but some items failed (a rejected file; a record, object
        or message that failed); 2 a usage, configuration or access error (nothing was done).

        The dataset questions (`answers`) are a separate executable, so that DuckDB stays out of this one:
          make answers LAKE=FOLDER|s3://BUCKET[/PREFIX]
          dotnet run --project src/IngestLambda.Analytics -- answers --lake FOLDER|s3://BUCKET[/PREFIX]
        """;

    internal static string Version =>
        typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static readonly string[] Commands = ["validate", "invoke", "backfill", "replay", "contract", "quality"];

    /// <summary>
    /// The parser writes help and errors through the static <c>ConsoleApp.Log</c>/<c>LogError</c>; routing them through
    /// the current run (an async-local) keeps each run's output its own, in the process and in parallel tests.
    /// </summary>
    private static readonly AsyncLocal<CommandRun?> Current = new();

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Stream? stdin = null)
    {
        switch (args)
        {
            case []:
                await stderr.WriteLineAsync(Overview).ConfigureAwait(false);
                return ExitCodes.Usage;
            case ["-h" or "--help" or "help", ..]:
                await stdout.WriteLineAsync(Overview).ConfigureAwait(false);
                return ExitCodes.Success;
            case ["--version"]:
                await stdout.WriteLineAsync($"bootstrap {Version}").ConfigureAwait(false);
                return ExitCodes.Success;
            case [var name, ..] when !Commands.Contains(name, StringComparer.Ordinal):
                await stderr.WriteLineAsync($"Unknown command '{name}'.\n\n{Overview}").ConfigureAwait(false);
                return ExitCodes.Usage;
            case ["contract"] or ["contract", not ("check" or "infer" or "-h" or "--help"), ..]:
                await stderr.WriteLineAsync($"contract: expected 'check DIR' or 'infer FILE'.\n{ContractCommand.Usage}").ConfigureAwait(false);
                return ExitCodes.Usage;
        }

        var run = new CommandRun(args[0] == "contract" && args.Length > 1 ? $"contract {args[1]}" : args[0], stdout, stderr, stdin);
        Current.Value = run;
        ConsoleApp.Log = static message => Current.Value?.Stdout.WriteLine(message);
        ConsoleApp.LogError = static message => Current.Value?.ParseError(message);
        var exitCodeBefore = Environment.ExitCode;
        try
        {
            var app = ConsoleApp.Create();
            app.Add<CommandDeclarations>();
            await app.RunAsync(args).ConfigureAwait(false);
        }
        finally
        {
            // The parser also sets the process exit code; Program returns ours, so leave the process's as it was.
            Environment.ExitCode = exitCodeBefore;
            Current.Value = null;
        }
        if (run.ExitCode is { } exit)
            return exit;
        if (run.ParseErrors.Count == 0)
            return ExitCodes.Success; // the command's --help
        await stderr.WriteLineAsync($"{run.Command}: unexpected argument: {string.Join(" ", run.ParseErrors)}\n{UsageOf(run.Command)}").ConfigureAwait(false);
        return ExitCodes.Usage;
    }

    /// <summary>The run the parser is working for: the command's output and what it returned, if it ran.</summary>
    internal static CommandRun Run => Current.Value ?? throw new InvalidOperationException("no command line run in progress");

    private static string UsageOf(string command) => command switch
    {
        "validate" => ValidateCommand.Usage,
        "invoke" => InvokeCommand.Usage,
        "backfill" => BackfillCommand.Usage,
        "contract check" => ContractCommand.CheckUsage,
        "contract infer" => ContractInferCommand.Usage,
        "contract --help" or "contract -h" => ContractCommand.Usage,
        "quality" => QualityCommand.Usage,
        _ => ReplayCommand.Usage,
    };
}

/// <summary>One command-line run: its output, the parser's errors, and the command's exit code once it ran.</summary>
internal sealed class CommandRun(string command, TextWriter stdout, TextWriter stderr, Stream? stdin)
{
    public string Command { get; } = command;
    public TextWriter Stdout { get; } = stdout;
    public TextWriter Stderr { get; } = stderr;
    public Stream? Stdin { get; } = stdin;
    public List<string> ParseErrors { get; } = [];
    public int? ExitCode { get; private set; }

    public void ParseError(string message) => ParseErrors.Add(message);

    public async Task<int> Returned(Task<int> command)
    {
        ExitCode = await command.ConfigureAwait(false);
        return ExitCode.Value;
    }
}
