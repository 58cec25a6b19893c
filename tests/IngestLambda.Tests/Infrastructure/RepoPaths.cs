namespace IngestLambda.Tests.Infrastructure;

/// <summary>Paths in the repository, found from the test assembly's folder upwards.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples(string file) => Path.Combine(Root, "samples", file);

    public static string Events(string file) => Path.Combine(Root, "events", file);

    /// <summary>The Native AOT binary written by <c>make publish</c>.</summary>
    public static string PublishedBootstrap => Path.Combine(Root, "artifacts", "function", "bootstrap");

    /// <summary>The linux-arm64 Native AOT binary written by <c>make publish ARCH=arm64</c>.</summary>
    public static string PublishedArm64Bootstrap => Path.Combine(Root, "artifacts", "function-arm64", "bootstrap");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IngestLambda.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No IngestLambda.sln above {AppContext.BaseDirectory}.");
    }
}
