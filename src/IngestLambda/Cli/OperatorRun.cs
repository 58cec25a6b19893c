using IngestLambda.Ingestion;
using IngestLambda.Operations;

namespace IngestLambda.Cli;

/// <summary>What <c>backfill</c> and <c>replay</c> share: the function from the environment, Ctrl+C, output and exit codes.</summary>
internal static class OperatorRun
{
    /// <summary>Runs <paramref name="work"/>; exit 0 when nothing failed, 1 when something did, 2 on a configuration error.</summary>
    public static async Task<int> RunAsync(string command, TextWriter stdout, TextWriter stderr,
        Func<IngestFunction, OperationOutput, CancellationToken, Task> work)
    {
        IngestFunction function;
        try
        {
            function = IngestFunction.FromEnvironment();
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
            var output = new OperationOutput(command, stdout, stderr, showProgress: !Console.IsErrorRedirected, TimeProvider.System);
            try
            {
                await work(function, output, cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                output.Problem("interrupted; what was finished stays finished, and running it again picks up the rest");
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            output.Summary();
            return output.AnyFailed ? ExitCodes.Failure : ExitCodes.Success;
        }
    }
}
