using System.Globalization;
using IngestLambda.DataGen;

namespace IngestLambda.Benchmarks;

/// <summary>
/// Where the benchmark input lives: a synthetic movies file generated once into the repository's git-ignored
/// <c>data/</c> folder (or <c>INGEST_BENCH_DATA_DIR</c>). <c>INGEST_BENCH_SIZE</c> changes its size (default 200MB).
/// </summary>
internal static class BenchData
{
    public const int Seed = 1;

    public static string SizeText => Environment.GetEnvironmentVariable("INGEST_BENCH_SIZE") is { Length: > 0 } size ? size : "200MB";

    public static string MoviesPath => Path.Combine(DataFolder(), $"movies-{SizeText}.csv");

    /// <summary>The movies file's path, generating it first if it is missing.</summary>
    public static string EnsureMovies()
    {
        string path = MoviesPath;
        if (File.Exists(path))
            return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string partial = path + ".partial";
        using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            SyntheticCsv.Write(file, Dataset.Movies, SyntheticSize.Bytes(ParseSize(SizeText)), Seed);
        File.Move(partial, path, overwrite: true);
        return path;
    }

    private static string DataFolder()
    {
        if (Environment.GetEnvironmentVariable("INGEST_BENCH_DATA_DIR") is { Length: > 0 } configured)
            return configured;
        // Walk up to the repository root (the folder with IngestLambda.sln); BenchmarkDotNet may run us from bin/.
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "IngestLambda.sln")))
                    return Path.Combine(dir.FullName, "data");
            }
        }
        return Path.Combine(Path.GetTempPath(), "ingestlambda-bench");
    }

    private static long ParseSize(string text)
    {
        (string Suffix, long Factor)[] units = [("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000)];
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                return checked((long)(double.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * factor));
        }
        return long.Parse(text, CultureInfo.InvariantCulture);
    }
}
