using System.Runtime.Versioning;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Template;

/// <summary>
/// `sam build` with BuildMethod: makefile runs `make build-IngestFunction` with ARTIFACTS_DIR set and no word of the
/// architecture: the target builds the template's default, arm64, unless ARCH says x86_64 (docs/deploy.md).
/// </summary>
[Collection(NativePublishGroup.Name)]
[Trait("Category", "Integration")]
public sealed class BuildTargetTests : IDisposable
{
    private readonly string _artifactsDir = Directory.CreateTempSubdirectory("ingestlambda-sam-build-").FullName;

    public void Dispose() => Directory.Delete(_artifactsDir, recursive: true);

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Build_target_publishes_a_working_arm64_bootstrap_into_the_artifacts_dir()
    {
        var make = await ProcessRunner.RunAsync("make", ["build-IngestFunction", $"ARTIFACTS_DIR={_artifactsDir}"],
            RepoPaths.Root, TimeSpan.FromMinutes(10));
        Assert.True(make.ExitCode == 0, make.ToString());

        var bootstrap = Path.Combine(_artifactsDir, "bootstrap");
        Assert.True(File.Exists(bootstrap), $"no bootstrap in {_artifactsDir}\n{make}");
        Assert.True(File.GetUnixFileMode(bootstrap).HasFlag(UnixFileMode.UserExecute), "bootstrap is not executable");
        // Only the executable is deployed: no debug symbols or PDBs in the zip.
        Assert.DoesNotContain(Directory.GetFiles(_artifactsDir), file => file.EndsWith(".dbg", StringComparison.Ordinal) || file.EndsWith(".pdb", StringComparison.Ordinal));

        // ELF e_machine (bytes 18-19, little-endian): 0xB7 is AArch64, what the template's default Architecture runs.
        var header = new byte[20];
        await using (var file = File.OpenRead(bootstrap))
            await file.ReadExactlyAsync(header);
        Assert.Equal(0xB7, BitConverter.ToUInt16(header, 18));
        var version = await Qemu.RunAsync(bootstrap, ["--version"], TimeSpan.FromMinutes(1));
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.StartsWith("bootstrap ", version.StdOut);

        // The dataset contracts ship beside it (LAMBDA_TASK_ROOT/contracts), and it finds them from any working folder.
        Assert.Equal(Directory.GetFiles(Path.Combine(RepoPaths.Root, "contracts")).Select(Path.GetFileName).Order(),
            Directory.GetFiles(Path.Combine(_artifactsDir, "contracts")).Select(Path.GetFileName).Order());
        var validate = await Qemu.RunAsync(bootstrap, ["validate", RepoPaths.Samples("series.csv")], TimeSpan.FromMinutes(1), workingDirectory: Path.GetTempPath());
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }

    [Theory]
    [InlineData(null, "linux-arm64")]
    [InlineData("arm64", "linux-arm64")]
    [InlineData("x86_64", "linux-x64")]
    public async Task Build_target_publishes_for_the_architecture_ARCH_names(string? arch, string runtime)
    {
        string[] arguments = ["-n", "build-IngestFunction", $"ARTIFACTS_DIR={_artifactsDir}", .. arch is null ? Array.Empty<string>() : [$"ARCH={arch}"]];
        var make = await ProcessRunner.RunAsync("make", arguments, RepoPaths.Root, TimeSpan.FromMinutes(1),
            new Dictionary<string, string?> { ["ARCH"] = null });
        Assert.True(make.ExitCode == 0, make.ToString());
        Assert.Contains($" -r {runtime} ", make.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_target_refuses_an_architecture_lambda_does_not_run()
    {
        var make = await ProcessRunner.RunAsync("make", ["-n", "build-IngestFunction", $"ARTIFACTS_DIR={_artifactsDir}", "ARCH=i686"],
            RepoPaths.Root, TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, make.ExitCode);
        Assert.Contains("ARCH=i686: use arm64 or x86_64", make.StdErr, StringComparison.Ordinal);
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
