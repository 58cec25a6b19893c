using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.EndToEnd;

/// <summary>
/// The Native AOT <c>bootstrap</c> that `make publish` writes to artifacts/function. Published once per test run
/// when it is missing or older than any source file, so the end-to-end tests never run a stale binary.
/// </summary>
public sealed class PublishedFunction : IAsyncLifetime
{
    public static string Bootstrap => RepoPaths.PublishedBootstrap;

    public async Task InitializeAsync()
    {
        if (File.Exists(Bootstrap) && File.GetLastWriteTimeUtc(Bootstrap) > NewestSourceWrite())
            return;
        var publish = await ProcessRunner.RunAsync("make", ["publish"], RepoPaths.Root, TimeSpan.FromMinutes(10));
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.True(File.Exists(Bootstrap), $"make publish wrote no {Bootstrap}\n{publish}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTime NewestSourceWrite()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props" }.Select(file => Path.Combine(RepoPaths.Root, file)))
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "contracts"))); // published beside bootstrap
        return sources.Max(File.GetLastWriteTimeUtc);
    }
}
