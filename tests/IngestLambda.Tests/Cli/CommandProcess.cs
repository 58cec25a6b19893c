using System.Diagnostics;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Cli;

/// <summary>
/// A command run as a user runs it: a child process with its own environment (the JIT builds next to the tests),
/// so the tests never change this process's environment. AWS settings of the test host do not leak in.
/// </summary>
internal static class CommandProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>What a command needs to reach the test's S3 and SQS endpoint (moto accepts any credentials).</summary>
    public static Dictionary<string, string> Endpoint(Uri endpoint) => new()
    {
        ["AWS_ENDPOINT_URL"] = endpoint.ToString(),
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_REGION"] = "us-east-1",
    };

    /// <summary>`bootstrap ARGS`: the function's build beside the test assembly.</summary>
    public static Task<Result> BootstrapAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? stdin = null) =>
        RunAsync(Path.Combine(AppContext.BaseDirectory, "bootstrap.dll"), args, environment, stdin);

    /// <summary>`answers ARGS`: src/IngestLambda.Analytics built in the tests' configuration (a build dependency of this project).</summary>
    public static Task<Result> AnswersAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment) =>
        RunAsync(AnswersAssembly, args, environment, stdin: null);

    public static string AnswersAssembly
    {
        get
        {
            // The test assembly lives in tests/IngestLambda.Tests/bin/<Configuration>/<tfm>/.
            var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(RepoPaths.Root, "src", "IngestLambda.Analytics", "bin", testDir.Parent!.Name, testDir.Name, "answers.dll");
        }
    }

    private static async Task<Result> RunAsync(string assembly, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? stdin)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in new[] { "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SQS", "AWS_PROFILE", "AWS_LAMBDA_RUNTIME_API" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
