using System.Runtime.Versioning;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Template;

/// <summary>`sam build` with BuildMethod: makefile runs `make build-IngestFunction ARTIFACTS_DIR=...`.</summary>
[Collection(NativePublishGroup.Name)]
public sealed class BuildTargetTests : IDisposable
{
    private readonly string _artifactsDir = Directory.CreateTempSubdirectory("ingestlambda-sam-build-").FullName;

    public void Dispose() => Directory.Delete(_artifactsDir, recursive: true);

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Build_target_publishes_a_working_executable_bootstrap_into_the_artifacts_dir()
    {
        var make = await ProcessRunner.RunAsync("make", ["build-IngestFunction", $"ARTIFACTS_DIR={_artifactsDir}"],
            RepoPaths.Root, TimeSpan.FromMinutes(10));
        Assert.True(make.ExitCode == 0, make.ToString());

        var bootstrap = Path.Combine(_artifactsDir, "bootstrap");
        Assert.True(File.Exists(bootstrap), $"no bootstrap in {_artifactsDir}\n{make}");
        Assert.True(File.GetUnixFileMode(bootstrap).HasFlag(UnixFileMode.UserExecute), "bootstrap is not executable");
        // Only the executable is deployed: no debug symbols or PDBs in the zip.
        Assert.DoesNotContain(Directory.GetFiles(_artifactsDir), file => file.EndsWith(".dbg", StringComparison.Ordinal) || file.EndsWith(".pdb", StringComparison.Ordinal));

        var version = await ProcessRunner.RunAsync(bootstrap, ["--version"], _artifactsDir, TimeSpan.FromSeconds(30));
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.StartsWith("bootstrap ", version.StdOut);

        // The dataset contracts ship beside it (LAMBDA_TASK_ROOT/contracts), and it finds them from any working folder.
        Assert.Equal(Directory.GetFiles(Path.Combine(RepoPaths.Root, "contracts")).Select(Path.GetFileName).Order(),
            Directory.GetFiles(Path.Combine(_artifactsDir, "contracts")).Select(Path.GetFileName).Order());
        var validate = await ProcessRunner.RunAsync(bootstrap, ["validate", RepoPaths.Samples("series.csv")], Path.GetTempPath(), TimeSpan.FromSeconds(30));
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }

    [Fact]
    public async Task Build_target_refuses_to_run_without_an_artifacts_dir()
    {
        var make = await ProcessRunner.RunAsync("make", ["build-IngestFunction"], RepoPaths.Root, TimeSpan.FromMinutes(1),
            new Dictionary<string, string?> { ["ARTIFACTS_DIR"] = null });
        Assert.NotEqual(0, make.ExitCode);
        Assert.Contains("ARTIFACTS_DIR is not set", make.StdErr);
    }
}
