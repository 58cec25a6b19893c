using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Unicode;
using IngestLambda.Core.Validation;

namespace IngestLambda.Benchmarks;

/// <summary>
/// `probe FILE`: quick Stopwatch timings (best of N, after a warm-up) that split the validator's cost into its parts,
/// to find where the time goes. Not a benchmark of record: BenchmarkDotNet and validate-e2e.sh give those.
/// </summary>
internal static class Probe
{
    public static void Run(string path, int runs)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Time("Utf8.IsValid (whole file)", bytes.Length, runs, () => Utf8.IsValid(bytes) ? 1 : 0);
        Time("Validate in memory, one block, no hash", bytes.Length, runs, () => CsvValidator.Validate(bytes, computeSha256: false).Rows);
        foreach (int chunk in new[] { 64 * 1024, 256 * 1024, 1024 * 1024 })
            Time($"engine fed {chunk / 1024} KiB blocks, no hash", bytes.Length, runs, () => Chunked(bytes, chunk));
        Time("ValidateAsync(MemoryStream) (pipe + SHA-256 on a 2nd thread)", bytes.Length, runs,
            () => CsvValidator.ValidateAsync(new MemoryStream(bytes, writable: false)).GetAwaiter().GetResult().Rows);
        Time("Sep field enumeration", bytes.Length, runs, () => FieldEnumerators.Sep(bytes).Fields);
    }

    private static long Chunked(byte[] bytes, int chunk)
    {
        var engine = new ValidationEngine(ValidationOptions.Default);
        int offset = 0;
        while (true)
        {
            int end = Math.Min(bytes.Length, offset + chunk);
            bool final = end == bytes.Length;
            var consumed = engine.Feed(new ReadOnlySequence<byte>(bytes, offset, end - offset), final);
            if (final)
                break;
            offset = consumed.GetInteger(); // array-backed: the index in the array where the unconsumed partial line starts
        }
        return engine.Complete("").Rows;
    }

    private static void Time(string name, long bytes, int runs, Func<long> action)
    {
        // PROBE_ONLY=text runs only the probes whose name contains it (e.g. under perf).
        if (Environment.GetEnvironmentVariable("PROBE_ONLY") is { Length: > 0 } only && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
            return;
        action();
        double best = double.MaxValue;
        var all = new List<double>();
        long result = 0;
        for (int i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            result = action();
            double s = clock.Elapsed.TotalSeconds;
            all.Add(s);
            best = Math.Min(best, s);
        }
        all.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-62} best {bytes / best / 1e9:F3} GB/s  median {bytes / all[all.Count / 2] / 1e9:F3} GB/s  ({result})"));
    }
}
