using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using IngestLambda.Core.Validation;
using IngestLambda.DataGen;

namespace IngestLambda.Benchmarks;

/// <summary>
/// `error-cost [MiB] [RUNS]`: what hostile content costs per byte next to valid rows (docs/reliability.md,
/// "Worst-case CPU per input byte"). Each input is a Movies header and MiB of one repeated line, validated through
/// the real path (<see cref="CsvValidator.ValidateAsync(Stream, ContentEncoding, ValidationOptions?, CancellationToken)"/>:
/// pipe, SHA-256 on a second thread); the figure is CPU time (user + sys of the process, best of RUNS), so the ratio
/// holds on a busy machine. The gzip inputs give the cost per compressed byte.
/// </summary>
internal static class ErrorCost
{
    public static void Run(int mebibytes, int runs)
    {
        long size = mebibytes * 1024L * 1024L;
        var header = SyntheticCsv.MoviesHeader + "\n";
        using var generated = new MemoryStream();
        SyntheticCsv.Write(generated, Dataset.Movies, SyntheticSize.Bytes(size), seed: 1);
        var valid = generated.ToArray();
        var cases = new (string Name, byte[] Data)[]
        {
            ("valid rows", valid),
            ("empty lines (LF)", Repeat(header, "\n", size)),
            ("empty lines (CRLF)", Repeat(header, "\r\n", size)),
            ("one-byte lines", Repeat(header, "x\n", size)),
            ("15 empty fields", Repeat(header, new string('|', 14) + "\n", size)),
            ("15 bad fields", Repeat(header, string.Join('|', Enumerable.Repeat("x", 15)) + "\n", size)),
            ("NUL lines", Repeat(header, "\0\n", size)),
            ("bare CR lines", Repeat(header, "\r\r\n", size)),
            ("invalid UTF-8 lines", Repeat(header, "\xff\n", size, latin1: true)),
            ("a NUL in valid rows", WithNulPerLine(valid)),
            ("shortest valid rows", ShortestValidRows(header, size)),
            ("valid rows (again)", valid),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"error-cost: {mebibytes} MiB each, best of {runs}, CPU seconds (user+sys), {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}"));
        // The valid path is measured first (to a steady state) and again last; the ratios are to the better of the two.
        for (var warm = 0; warm < 3; warm++)
            Measure(valid, ContentEncoding.None, 1);
        var validPerByte = Math.Min(Measure(valid, ContentEncoding.None, runs).Cpu, Measure(valid, ContentEncoding.None, runs).Cpu) / valid.Length;
        foreach (var (name, data) in cases)
        {
            var (cpu, result) = Measure(data, ContentEncoding.None, runs);
            var perByte = cpu / data.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-22} {data.Length / 1048576.0,8:F1} MiB  cpu {cpu,7:F3} s  {perByte * 1e9,6:F2} ns/B  {perByte / validPerByte,5:F2}x valid  errors {result.ErrorCount,12:N0}  rows {result.Rows,12:N0}"));
        }

        Console.WriteLine("gzip (cost per compressed byte):");
        foreach (var (name, content) in cases.Where(c => c.Name is "valid rows" or "empty lines (LF)" or "15 empty fields" or "NUL lines" or "invalid UTF-8 lines"))
        {
            var gz = Gzip(content);
            var (cpu, result) = Measure(gz, ContentEncoding.Gzip, runs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-22} {gz.Length / 1048576.0,8:F3} MiB gz ({content.Length / (double)gz.Length,6:F0}:1)  cpu {cpu,7:F3} s  {cpu / (gz.Length / 1048576.0),7:F3} s per compressed MiB  {cpu / (content.Length / 1048576.0) * 1000,6:F2} ms per MiB inflated  errors {result.ErrorCount:N0}"));
        }
    }

    private static (double Cpu, ValidationResult Result) Measure(byte[] data, ContentEncoding encoding, int runs)
    {
        var best = double.MaxValue;
        ValidationResult? result = null;
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i <= runs; i++) // the first run warms up the JIT
        {
            GC.Collect();
            self.Refresh();
            var before = self.TotalProcessorTime;
            result = CsvValidator.ValidateAsync(new MemoryStream(data, writable: false), encoding).GetAwaiter().GetResult();
            self.Refresh();
            if (i > 0)
                best = Math.Min(best, (self.TotalProcessorTime - before).TotalSeconds);
        }
        return (best, result!);
    }

    private static byte[] Repeat(string header, string line, long size, bool latin1 = false)
    {
        var encoding = latin1 ? Encoding.Latin1 : Encoding.UTF8;
        var head = encoding.GetBytes(header);
        var unit = encoding.GetBytes(line);
        var data = new byte[head.Length + (size / unit.Length) * unit.Length];
        head.CopyTo(data, 0);
        for (var at = head.Length; at < data.Length; at += unit.Length)
            unit.CopyTo(data, at);
        return data;
    }

    /// <summary>Valid rows as short as the Movies rules allow (ids differ, so no row repeats the one before).</summary>
    private static byte[] ShortestValidRows(string header, long size)
    {
        var text = new StringBuilder(header);
        for (var i = 0; text.Length < size; i++)
            text.Append(CultureInfo.InvariantCulture, $"tt{i:D7}|a|a|\\N|\\N|\\N|\\N|\\N|\\N|\\N|a|\\N|\\N|\\N|\\N\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Valid rows, each with a NUL at its second byte: one error per row, rare-block scanning throughout.</summary>
    private static byte[] WithNulPerLine(byte[] valid)
    {
        var data = (byte[])valid.Clone();
        for (var i = Array.IndexOf(data, (byte)'\n') + 2; i > 1 && i < data.Length; i = Array.IndexOf(data, (byte)'\n', i) + 2)
            data[i - 1] = 0;
        return data;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }
}
