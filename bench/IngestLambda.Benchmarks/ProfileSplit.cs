using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using IngestLambda.Core.Profiling;
using IngestLambda.Core.Contracts;

namespace IngestLambda.Benchmarks;

/// <summary>
/// <c>profile-split FILE [RUNS]</c>: where the profile's time goes (docs/contracts.md "Profile"). The file's fields
/// are split once into (start, end) pairs; then each part is timed alone over them: the walk, the hash, the distinct
/// sketch, the top items, and the whole profiler per column. Best and median CPU per GB of the file.
/// </summary>
internal static class ProfileSplit
{
    public static void Run(string path, int runs)
    {
        var file = File.ReadAllBytes(path);
        var header = file.AsSpan(0, file.AsSpan().IndexOf((byte)'\n'));
        var headerText = System.Text.Encoding.UTF8.GetString(header);
        var dataset = SchemaCatalog.BuiltIn.Datasets.First(d => d.Header == headerText);
        var columns = ProfileColumns.Of(dataset);
        var (starts, ends, rows) = Split(file, header.Length + 1, columns.Length);
        var gigabytes = file.Length / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: {rows} rows, {columns.Length} columns"));

        void Time(string name, Func<long> work)
        {
            var cpu = new List<double>();
            long check = 0;
            for (var run = 0; run <= runs; run++)
            {
                var before = Process.GetCurrentProcess().TotalProcessorTime;
                check = work();
                var seconds = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
                if (run > 0)
                    cpu.Add(seconds / gigabytes);
            }
            cpu.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-48} best {cpu[0],6:F3}  median {cpu[cpu.Count / 2],6:F3} CPU-s/GB  ({check})"));
        }

        long Walk(int column, Func<int, ReadOnlySpan<byte>, long> each)
        {
            long x = 0;
            for (var r = 0; r < rows; r++)
            {
                var i = r * columns.Length + column;
                x += each(column, file.AsSpan(starts[i], ends[i] - starts[i]));
            }
            return x;
        }

        long AllColumns(Func<int, ReadOnlySpan<byte>, long> each)
        {
            long x = 0;
            for (var i = 0; i < starts.Length; i++)
                x += each(i % columns.Length, file.AsSpan(starts[i], ends[i] - starts[i]));
            return x;
        }

        Time("walk (length sum)", () => AllColumns((_, v) => v.Length));
        Time("XxHash3 every field", () => AllColumns((_, v) => (long)XxHash3.HashToUInt64(v)));
        Time("HLL every field (one sketch per column)", () =>
        {
            var sketches = columns.Select(_ => new HyperLogLog()).ToArray();
            AllColumns((c, v) => { sketches[c].Add(v); return 0; });
            return sketches[0].Estimate();
        });
        Time("whole FileProfiler", () =>
        {
            var profiler = new FileProfiler(columns);
            for (var i = 0; i < starts.Length; i++)
            {
                profiler.Field(i % columns.Length, file.AsSpan(starts[i], ends[i] - starts[i]));
                if (i % columns.Length == columns.Length - 1)
                    profiler.EndRecord();
            }
            return profiler.Result().Rows;
        });
        var shared = SharedLeadingFields(file, starts, ends, rows, columns.Length);
        Time("whole FileProfiler, leading repeats as Repeat", () =>
        {
            var profiler = new FileProfiler(columns);
            for (var r = 0; r < rows; r++)
            {
                var row = r * columns.Length;
                for (var fields = profiler.Repeat(shared[r]); fields != 0; fields &= fields - 1)
                {
                    var f = System.Numerics.BitOperations.TrailingZeroCount(fields);
                    profiler.Field(f, file.AsSpan(starts[row + f], ends[row + f] - starts[row + f]));
                }
                profiler.EndRecord();
            }
            return profiler.Result().Rows;
        });
        for (var c = 0; c < columns.Length; c++)
        {
            var column = c;
            Time($"FileProfiler col {c} {columns[c].Name} ({columns[c].Kind})", () =>
            {
                var profiler = new FileProfiler(columns);
                return Walk(column, (col, v) => { profiler.Field(col, v); return 0; }) + profiler.Result().Columns.Count;
            });
        }
        foreach (var (c, column) in columns.Index().Where(x => x.Item.Kind == ColumnKind.List))
        {
            var items = new List<(int Start, int Length)>();
            for (var r = 0; r < rows; r++)
            {
                var i = r * columns.Length + c;
                var v = file.AsSpan(starts[i], ends[i] - starts[i]);
                foreach (var range in v.Split(column.ListDelimiter))
                    items.Add((starts[i] + range.Start.Value, range.End.Value - range.Start.Value));
            }
            var itemArray = items.ToArray();
            Time($"TopItems alone, col {c} {column.Name} ({itemArray.Length} items)", () =>
            {
                var top = new TopItems();
                foreach (var (start, length) in itemArray)
                    top.Add(file.AsSpan(start, length));
                return top.Top(1)[0].Count;
            });
            Time($"  XxHash3 of the same items", () =>
            {
                long x = 0;
                foreach (var (start, length) in itemArray)
                    x += (long)XxHash3.HashToUInt64(file.AsSpan(start, length));
                return x;
            });
        }
    }

    /// <summary>Per row, how many leading fields equal the previous row's (what the validator's skip finds).</summary>
    private static int[] SharedLeadingFields(byte[] file, int[] starts, int[] ends, int rows, int columnCount)
    {
        var shared = new int[rows];
        for (var r = 1; r < rows; r++)
        {
            var (row, previous) = (r * columnCount, (r - 1) * columnCount);
            var f = 0;
            while (f < columnCount && file.AsSpan(starts[row + f], ends[row + f] - starts[row + f])
                       .SequenceEqual(file.AsSpan(starts[previous + f], ends[previous + f] - starts[previous + f])))
                f++;
            shared[r] = f;
        }
        return shared;
    }

    private static (int[] Starts, int[] Ends, int Rows) Split(byte[] file, int offset, int columnCount)
    {
        var starts = new List<int>();
        var ends = new List<int>();
        var rows = 0;
        while (offset < file.Length)
        {
            var lineEnd = file.AsSpan(offset).IndexOf((byte)'\n');
            lineEnd = lineEnd < 0 ? file.Length : offset + lineEnd;
            var start = offset;
            for (var f = 0; f < columnCount; f++)
            {
                var end = f == columnCount - 1 ? lineEnd : start + file.AsSpan(start, lineEnd - start).IndexOf((byte)'|');
                starts.Add(start);
                ends.Add(end);
                start = end + 1;
            }
            rows++;
            offset = lineEnd + 1;
        }
        return ([.. starts], [.. ends], rows);
    }
}
