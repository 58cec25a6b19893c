using System.Text.Json;
using IngestLambda.Pipeline;

namespace IngestLambda.Host.Cli;

/// <summary>
/// <c>bootstrap invoke --event FILE|- [--timeout SECONDS]</c>: runs the handler once against S3 (like
/// <c>sam local invoke -e</c>) and prints the result JSON. Exit 0 when the handler succeeded, 1 when it failed
/// (the partial result is still printed), 2 for usage, configuration or I/O errors. A payload that is no S3 event is
/// answered like any other: a <c>skipped</c> record saying why.
/// </summary>
internal static class InvokeCommand
{
    internal const string Usage = "usage: bootstrap invoke --event FILE|- [--timeout SECONDS]";
    internal const int DefaultTimeoutSeconds = 15 * 60;

    /// <summary>Runs with the arguments <see cref="CommandDeclarations.Invoke"/> parsed.</summary>
    public static async Task<int> RunAsync(string? eventPath, int timeoutSeconds, TextWriter stdout, TextWriter stderr, Stream? stdin = null)
    {
        if (timeoutSeconds <= 0)
        {
            await stderr.WriteLineAsync($"invoke: --timeout takes a positive number of seconds.\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        if (eventPath is null)
        {
            await stderr.WriteLineAsync($"invoke: --event is required.\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (eventPath != "-" && Directory.Exists(eventPath))
        {
            // Reading a directory fails with "Access to the path is denied", which sends a person looking at permissions.
            await stderr.WriteLineAsync($"invoke: '{eventPath}' is a directory, not an event file: give the path of one JSON event (or - for standard input).").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        byte[] payload;
        try
        {
            payload = eventPath == "-"
                ? await ReadAllAsync(stdin ?? Console.OpenStandardInput()).ConfigureAwait(false)
                : await File.ReadAllBytesAsync(eventPath).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"invoke: cannot read the event '{eventPath}': {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await OperatorRun.WithFunctionAsync("invoke", stderr, async (function, cancellationToken) =>
        {
            try
            {
                var context = new LocalLambdaContext(timeout);
                using var input = new MemoryStream(payload, writable: false);
                await using var output = await function.HandleAsync(input, context, cancellationToken).ConfigureAwait(false);
                using var reader = new StreamReader(output);
                await stdout.WriteLineAsync(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (IngestFailedException e)
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(e.PartialResult, IngestResultJson.Context.IngestResult)).ConfigureAwait(false);
                await stderr.WriteLineAsync($"invoke: the handler failed: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            catch (Exception e)
            {
                await stderr.WriteLineAsync($"invoke: the handler failed: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        }).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
