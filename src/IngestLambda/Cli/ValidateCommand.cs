namespace IngestLambda.Cli;

/// <summary><c>bootstrap validate FILE [--json]</c>: 0 accepted, 1 rejected, 2 usage or I/O error.</summary>
internal static class ValidateCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("validate: not built yet");
        return Task.FromResult(ExitCodes.Usage);
    }
}
