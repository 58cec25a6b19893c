using System.Text.RegularExpressions;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Template;

/// <summary>Every target the Makefile declares does something (`make -n`, which runs nothing): none is an empty pass.</summary>
public sealed partial class MakeTargetTests
{
    public static TheoryData<string> PhonyTargets()
    {
        var makefile = File.ReadAllText(Path.Combine(RepoPaths.Root, "Makefile"));
        var data = new TheoryData<string>();
        foreach (var target in Phony().Match(makefile).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            data.Add(target);
        return data;
    }

    [Theory]
    [MemberData(nameof(PhonyTargets))]
    public async Task A_declared_target_has_something_to_do(string target)
    {
        var run = await ProcessRunner.RunAsync("make", ["-n", "--no-print-directory", target, "ARTIFACTS_DIR=/tmp/x", "LAKE=/tmp/x"],
            RepoPaths.Root, TimeSpan.FromSeconds(30));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("Nothing to be done", run.StdOut + run.StdErr, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(run.StdOut), $"make -n {target} printed no command");
    }

    [Fact]
    public async Task Test_unit_runs_the_tests_that_need_no_tool_and_makes_an_unmarked_one_fail()
    {
        var run = await ProcessRunner.RunAsync("make", ["-n", "--no-print-directory", "test-unit"], RepoPaths.Root, TimeSpan.FromSeconds(30));
        Assert.Contains("bash scripts/check-tools.sh unit", run.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{UnitOnly.Variable}=1 dotnet test IngestLambda.sln", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("--filter \"Category!=Integration\"", run.StdOut, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\.PHONY:(.*)$", RegexOptions.Multiline)]
    private static partial Regex Phony();
}
