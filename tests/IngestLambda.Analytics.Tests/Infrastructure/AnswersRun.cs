using System.Text.Json;
using IngestLambda.Analytics.Cli;
using IngestLambda.Analytics.Query;

namespace IngestLambda.Analytics.Tests.Infrastructure;

/// <summary>One in-process run of `answers` with its own environment; what it printed and its exit code.</summary>
internal sealed record AnswersRun(int ExitCode, string StdOut, string StdErr)
{
    public static async Task<AnswersRun> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await AnswersCommand.RunAsync(args, stdout, stderr,
            name => environment is not null && environment.TryGetValue(name, out var value) ? value : null, interactive: false);
        return new AnswersRun(code, stdout.ToString(), stderr.ToString());
    }

    public LakeAnswers Answers => JsonSerializer.Deserialize<LakeAnswers>(StdOut)
                                  ?? throw new InvalidOperationException("answers printed no JSON");

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}
