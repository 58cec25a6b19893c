using System.Runtime.Versioning;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Template;

/// <summary>
/// scripts/check-tools.sh, which `make demo`, `make test` and .ci/run start with: one line per missing tool naming
/// it and the command that installs it, exit 2, and nothing installed when no package index answers.
/// </summary>
[Trait("Category", "Integration")] // the first test needs the Python tools installed
[SupportedOSPlatform("linux")]
public sealed class CheckToolsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("check-tools-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Bin => Path.Combine(_dir, "bin");

    private string Venv => Path.Combine(_dir, "venv");

    private Task<ProcessRunner.Result> CheckAsync(string mode, string path) =>
        ProcessRunner.RunAsync("/bin/bash", ["scripts/check-tools.sh", mode], RepoPaths.Root, TimeSpan.FromMinutes(1), new Dictionary<string, string?>
        {
            ["PATH"] = path,
            ["VENV_DIR"] = Venv,
            // No package index answers here: the check must say so and install nothing.
            ["PIP_INDEX_URL"] = "http://127.0.0.1:9/simple",
        });

    /// <summary>A PATH holding only these commands (the machine's own, linked), as on a machine that has nothing else.</summary>
    private string OnlyThese(params string[] commands)
    {
        Directory.CreateDirectory(Bin);
        foreach (var command in commands)
        {
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, command)).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException($"{command} is not on this machine's PATH");
            File.CreateSymbolicLink(Path.Combine(Bin, command), found);
        }
        return Bin;
    }

    private static readonly string[] ShellTools = ["dirname", "realpath", "id", "sed", "awk", "paste", "mktemp", "tail", "rm"];

    [Fact]
    public async Task With_every_tool_installed_it_passes_and_installs_nothing()
    {
        var run = await CheckAsync("test", Environment.GetEnvironmentVariable("PATH")!);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("every tool make test needs is installed", run.StdOut, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Venv));
    }

    [Fact]
    public async Task On_a_machine_with_only_dotnet_and_python_each_missing_tool_gets_one_line_with_its_install_command()
    {
        // The interpreter itself, not a version manager's shim, so that nothing else comes along.
        var python = (await ProcessRunner.RunAsync("python3", ["-c", "import sys; print(sys.executable)"], _dir, TimeSpan.FromSeconds(30))).StdOut.Trim();
        var path = OnlyThese([.. ShellTools, "dotnet", "gcc", "curl", "setsid", "gzip"]);
        File.CreateSymbolicLink(Path.Combine(Bin, "python3"), python);

        var run = await CheckAsync("test", path);

        Assert.True(run.ExitCode == 2, run.ToString());
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, line => line.Contains("http://127.0.0.1:9/simple is not reachable, so nothing was installed", StringComparison.Ordinal));
        foreach (var tool in new[] { "moto_server", "aws", "cfn-lint" })
        {
            var line = Assert.Single(lines, l => l.StartsWith($"check-tools: missing {tool} (", StringComparison.Ordinal));
            Assert.EndsWith($"install: python3 -m venv {Venv} && {Venv}/bin/pip install -r requirements-dev.txt", line, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(lines, line => line.Contains("missing dotnet", StringComparison.Ordinal) || line.Contains("missing gcc", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Venv), "a venv was left behind although nothing could be installed");
    }

    [Fact]
    public async Task A_dotnet_without_the_SDK_of_global_json_is_named_with_the_command_that_installs_that_SDK()
    {
        var path = OnlyThese(ShellTools);
        var dotnet = Path.Combine(Bin, "dotnet");
        await File.WriteAllTextAsync(dotnet, "#!/bin/sh\necho 'A compatible .NET SDK was not found.' >&2\nexit 145\n");
        File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var run = await CheckAsync("unit", path);

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.StdErr.Split('\n'), l => l.StartsWith("check-tools: missing ", StringComparison.Ordinal));
        using var globalJson = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "global.json")));
        Assert.Contains($"the .NET SDK {globalJson.RootElement.GetProperty("sdk").GetProperty("version").GetString()}", line, StringComparison.Ordinal);
        Assert.Contains("install: curl -fsSL https://dot.net/v1/dotnet-install.sh | bash -s -- --jsonfile global.json", line, StringComparison.Ordinal);
    }
}
