using IngestLambda.Configuration;
using IngestLambda.Host.Operations;
using IngestLambda.Pipeline;

namespace IngestLambda.Host.Cli;

/// <summary>
/// What the operator commands share: the function from the environment (a configuration error is exit 2), Ctrl+C as
/// a cancellation token, and for <c>backfill</c> and <c>replay</c> the progress output and exit codes.
/// </summary>
internal static class OperatorRun
{
    /// <summary>
    /// Runs <paramref name="work"/> with the function from the environment (ExitCodes.cs): exit 0 when nothing failed,
    /// 1 when something did, 2 on a configuration error or when the work could not start (a missing bucket or queue).
    /// <paramref name="whenNothing"/> is the closing line when there was nothing to do.
    /// </summary>
    public static Task<int> RunAsync(string command, TextWriter stdout, TextWriter stderr, string whenNothing,
        Func<IngestFunction, OperationOutput, CancellationToken, Task> work, IngestConfig? config = null) =>
        WithFunctionAsync(command, stderr, (function, cancellationToken) =>
        {
            var output = new OperationOutput(command, stdout, stderr, showProgress: !Console.IsErrorRedirected, TimeProvider.System);
            return RunWorkAsync(output, whenNothing, (o, c) => work(function, o, c), cancellationToken);
        }, config);

    /// <summary>The work and its exit code, given the output (tests pass one with a function of their own).</summary>
    internal static async Task<int> RunWorkAsync(OperationOutput output, string whenNothing,
        Func<OperationOutput, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await work(output, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.Problem("interrupted; what was finished stays finished, and running it again picks up the rest");
        }
        catch (CannotStartException e)
        {
            output.Report(e.Message);
            return ExitCodes.Usage;
        }
        output.Summary(whenNothing);
        return output.AnyFailed ? ExitCodes.Failure : ExitCodes.Success;
    }

    /// <summary>
    /// Builds the function from the environment and runs <paramref name="run"/> with a token that Ctrl+C cancels
    /// (the first Ctrl+C asks the work to stop instead of killing the process). Returns what <paramref name="run"/>
    /// returns, or exit 2 with <c>{command}: configuration error: …</c> when a setting is invalid. A command that read
    /// the configuration already passes it as <paramref name="config"/>, so it is read once.
    /// </summary>
    public static async Task<int> WithFunctionAsync(string command, TextWriter stderr, Func<IngestFunction, CancellationToken, Task<int>> run,
        IngestConfig? config = null)
    {
        IngestFunction function;
        try
        {
            function = config is null ? IngestFunction.FromEnvironment() : IngestFunction.FromConfig(config);
        }
        catch (ConfigurationException e)
        {
            await stderr.WriteLineAsync($"{command}: configuration error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using (function)
        using (var cancel = new CancellationTokenSource())
        {
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try
            {
                return await run(function, cancel.Token).ConfigureAwait(false);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }
    }
}
