namespace IngestLambda.Cli;

/// <summary><c>bootstrap invoke --event FILE|-</c>: runs the handler once against S3 and prints the result JSON.</summary>
internal static class InvokeCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("invoke: not built yet");
        return Task.FromResult(ExitCodes.Usage);
    }
}
