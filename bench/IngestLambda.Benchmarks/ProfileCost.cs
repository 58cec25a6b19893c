using System.Diagnostics;
using System.Globalization;
using IngestLambda.Core.Profiling;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Benchmarks;

/// <summary>
/// <c>profile-cost FILE [RUNS]</c>: the CPU the profile adds to a pass over a file's fields. The file is read into
/// memory once; each run splits every record into fields, alternately without and with the profiler fed each field,
/// so the two sides share the machine's noise. Prints the median process CPU (user+sys) of each side, per GB, and the
/// difference: the profile's cost per GB on top of a pass that already touches every field.
/// </summary>
internal static class ProfileCost
{
    public static void Run(string path, int runs)
    {
        var file = File.ReadAllBytes(path);
        var headerEnd = file.AsSpan().IndexOf((byte)'\n');
        var header = System.Text.Encoding.UTF8.GetString(file, 0, headerEnd);
        var dataset = SchemaCatalog.BuiltIn.Datasets.Single(d => d.Header == header);
        var columns = dataset.Columns.Select(c => new ProfiledColumn(c.Name, Kind(c.Rule))).ToArray();
        var gigabytes = file.Length / 1e9;

        var off = new List<double>();
        var on = new List<double>();
        long checksum = 0;
        for (var run = 0; run <= runs; run++)
        {
            foreach (var profiled in new[] { false, true })
            {
                GC.Collect();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var profiler = profiled ? new FileProfiler(columns) : null;
                checksum += Pass(file.AsSpan(headerEnd + 1), profiler);
                if (profiler is not null)
                    checksum += profiler.Result().Rows;
                var seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                if (run > 0) // the first round warms up the JIT
                    (profiled ? on : off).Add(seconds);
            }
        }
        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        var (offPerGb, onPerGb) = (Median(off) / gigabytes, Median(on) / gigabytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"profile-cost {path} ({file.Length / 1e6:F0} MB, {runs} runs, checksum {checksum}): fields only {offPerGb:F3} CPU-s/GB, with profile {onPerGb:F3} CPU-s/GB, profile adds {onPerGb - offPerGb:F3} CPU-s/GB ({onPerGb / offPerGb:F2}x)"));
    }

    private static ColumnKind Kind(ColumnRule rule) => rule switch
    {
        ColumnRule.Year or ColumnRule.WholeNumber or ColumnRule.Rating => ColumnKind.Numeric,
        ColumnRule.List or ColumnRule.IdList => ColumnKind.List,
        _ => ColumnKind.Text,
    };

    /// <summary>Splits each line at '|' (vectorised searches, as the validator's scan finds them); returns the field count.</summary>
    private static long Pass(ReadOnlySpan<byte> data, FileProfiler? profiler)
    {
        long fields = 0;
        while (!data.IsEmpty)
        {
            var end = data.IndexOf((byte)'\n');
            var line = end < 0 ? data : data[..end];
            data = end < 0 ? default : data[(end + 1)..];
            var column = 0;
            while (true)
            {
                var bar = line.IndexOf((byte)'|');
                var field = bar < 0 ? line : line[..bar];
                profiler?.Field(column, field);
                column++;
                if (bar < 0)
                    break;
                line = line[(bar + 1)..];
            }
            profiler?.EndRecord();
            fields += column;
        }
        return fields;
    }
}
