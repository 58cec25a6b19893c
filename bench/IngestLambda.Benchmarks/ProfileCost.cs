using System.Diagnostics;
using System.Globalization;
using IngestLambda.Core.Validation;

namespace IngestLambda.Benchmarks;

/// <summary>
/// <c>profile-cost FILE [RUNS]</c>: the CPU the profile adds to validation (docs/contracts.md "Profile"). The file is
/// read into memory once; each round validates it with the profile off, then on (ValidationOptions.Profile), on this
/// thread, so both sides share the machine's noise. Prints the median process CPU (user+sys) of each side per GB and
/// the difference.
/// </summary>
internal static class ProfileCost
{
    public static void Run(string path, int runs)
    {
        var file = File.ReadAllBytes(path);
        var gigabytes = file.Length / 1e9;
        var off = new List<double>();
        var on = new List<double>();
        long rows = 0;
        for (var run = 0; run <= runs; run++)
        {
            foreach (var profiled in new[] { false, true })
            {
                GC.Collect();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var result = CsvValidator.Validate(file, ValidationOptions.Default with { Profile = profiled }, computeDigests: false);
                var seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                if (!result.Accepted || (result.Profile is not null) != profiled)
                    throw new InvalidOperationException($"{path}: expected an accepted file {(profiled ? "with" : "without")} a profile");
                rows = result.Rows;
                if (run > 0) // the first round warms up the JIT
                    (profiled ? on : off).Add(seconds);
            }
        }
        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        var (offPerGb, onPerGb) = (Median(off) / gigabytes, Median(on) / gigabytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"profile-cost {path} ({file.Length / 1e6:F0} MB, {rows} rows, {runs} rounds): validation {offPerGb:F3} CPU-s/GB, with profile {onPerGb:F3} CPU-s/GB, profile adds {onPerGb - offPerGb:F3} CPU-s/GB ({onPerGb / offPerGb:F2}x)"));
    }
}
