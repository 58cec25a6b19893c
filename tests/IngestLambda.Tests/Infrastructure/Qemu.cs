using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.Infrastructure;

/// <summary>
/// Runs a linux-arm64 executable on this x64 host under qemu-user (Debian qemu-user-static) as a Neoverse N1, the
/// Graviton2 core: the oldest CPU Lambda's arm64 functions run on. The binary finds its loader, libc and libcrypto where
/// an arm64 Debian keeps them, from Debian's multiarch packages libc6:arm64 and libssl3:arm64. No
/// <c>-L /usr/aarch64-linux-gnu</c>: that pairs the cross toolchain's loader with the multiarch libc of another build,
/// and the process then spins in pthread_create. scripts/install-arm64-toolchain.sh installs all of it.
/// </summary>
internal static class Qemu
{
    /// <summary>Graviton2's core; the binary's instruction set (IngestLambda.csproj) must run on it.</summary>
    public const string Graviton2 = "neoverse-n1";

    private const string Install = "run scripts/install-arm64-toolchain.sh (as root) to install it";

    private static readonly string[] Executables = ["qemu-aarch64-static", "qemu-aarch64"];

    private static readonly string[] Arm64Libraries = ["/lib/ld-linux-aarch64.so.1", "/usr/lib/aarch64-linux-gnu/libcrypto.so.3"];

    /// <summary>
    /// Runs <paramref name="executable"/> with <paramref name="arguments"/> on the given CPU to completion; fails the
    /// test when qemu or the arm64 libraries are missing.
    /// </summary>
    public static Task<ProcessRunner.Result> RunAsync(string executable, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null, string cpu = Graviton2, string? workingDirectory = null) =>
        ProcessRunner.RunAsync(Aarch64(), ["-cpu", cpu, executable, .. arguments], workingDirectory ?? Path.GetDirectoryName(executable)!, timeout, environment);

    /// <summary>The qemu-aarch64 user-mode emulator on PATH, once the arm64 libraries it needs are there too.</summary>
    public static string Aarch64()
    {
        var found = Executables
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
        if (found is null)
            Assert.Fail($"qemu-aarch64 is not on PATH (Debian package qemu-user-static): {Install}.");
        var missing = Arm64Libraries.Where(library => !File.Exists(library)).ToList();
        if (missing.Count > 0)
            Assert.Fail($"arm64 libraries missing ({string.Join(", ", missing)}; Debian libc6:arm64, libssl3:arm64): {Install}.");
        return found;
    }
}
