using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using IngestLambda.Benchmarks;

// `file-sep FILE [RUNS]`: Sep enumerating every field of a file read from disk (page cache), wall-clock median, for
// bench/validate-e2e.sh to set beside `bootstrap validate` on the same file; `file-sep-quoted` the same for a quoted,
// comma-separated file (bench/compare-quoted.sh). Anything else goes to BenchmarkDotNet.
if (args is [var mode and ("file-sep" or "file-sep-quoted"), var path, ..])
{
    int runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
    double bytes = new FileInfo(path).Length;
    var seconds = new List<double>();
    FieldCount count = default;
    for (int i = 0; i < runs + 1; i++)
    {
        var clock = Stopwatch.StartNew();
        count = mode == "file-sep" ? FieldEnumerators.SepFile(path) : FieldEnumerators.SepQuotedFile(path);
        if (i > 0) // the first run warms up the JIT
            seconds.Add(clock.Elapsed.TotalSeconds);
    }
    seconds.Sort();
    double median = seconds[seconds.Count / 2];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{mode} {path}: {count.Rows} rows, {count.Fields} fields; median {median:F3} s of {runs} = {bytes / median / 1e9:F3} GB/s (best {bytes / seconds[0] / 1e9:F3} GB/s)"));
    return 0;
}

if (args is ["probe-memory", var memoryPath, var maxLine])
{
    // Where does peak RSS go? Validate a file from disk with a given MaxLineBytes and report the process's peak
    // working set and the GC's view of the heap (JIT process: compare runs with each other, not with bootstrap).
    var options = new IngestLambda.Core.Validation.ValidationOptions { MaxLineBytes = int.Parse(maxLine, CultureInfo.InvariantCulture) };
    await using (var file = new FileStream(memoryPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0))
    {
        var result = await IngestLambda.Core.Validation.CsvValidator.ValidateAsync(file, options);
        using var self = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MaxLineBytes {options.MaxLineBytes}: accepted {result.Accepted}, peak working set {self.PeakWorkingSet64 / 1048576.0:F1} MiB, GC heap {gc.HeapSizeBytes / 1048576.0:F1} MiB, total allocated {GC.GetTotalAllocatedBytes() / 1048576.0:F1} MiB"));
    }
    return 0;
}

if (args is ["error-cost", ..])
{
    ErrorCost.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return 0;
}

if (args is ["profile-cost", var profilePath, ..])
{
    ProfileCost.Run(profilePath, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
    return 0;
}

if (args is ["profile-split", var splitPath, ..])
{
    ProfileSplit.Run(splitPath, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return 0;
}

if (args is ["probe", var probePath, ..])
{
    Probe.Run(probePath, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ValidationBenchmarks).Assembly).Run(args);
return 0;
