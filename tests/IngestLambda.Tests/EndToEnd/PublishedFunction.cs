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

    public Task InitializeAsync() => PublishWhenStaleAsync(Bootstrap, "publish");

    /// <summary>Runs <c>make</c> with <paramref name="makeArguments"/> when <paramref name="bootstrap"/> is missing or stale.</summary>
    internal static async Task PublishWhenStaleAsync(string bootstrap, params string[] makeArguments)
    {
        UnitOnly.Refuse("the published bootstrap (make publish)");
        if (File.Exists(bootstrap) && File.GetLastWriteTimeUtc(bootstrap) > NewestSourceWrite())
            return;
        var publish = await ProcessRunner.RunAsync("make", makeArguments, RepoPaths.Root, TimeSpan.FromMinutes(15));
        var command = $"make {string.Join(' ', makeArguments)}";
        Assert.True(publish.ExitCode == 0, $"{command} failed\n{publish}");
        Assert.True(File.Exists(bootstrap), $"{command} wrote no {bootstrap}\n{publish}");
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
