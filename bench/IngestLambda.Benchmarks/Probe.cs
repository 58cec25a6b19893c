using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
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
        Time("ByteMasks.Classify alone (whole file)", bytes.Length, runs, () => ClassifyOver(bytes));
        Time("Classify + Utf8Blocks (whole file)", bytes.Length, runs, () => Utf8BlocksOver(bytes));
        Time("Validate in memory, one block, no hash", bytes.Length, runs, () => CsvValidator.Validate(bytes, computeDigests: false).Rows);
        foreach (int chunk in new[] { 64 * 1024, 256 * 1024, 1024 * 1024 })
            Time($"engine fed {chunk / 1024} KiB blocks, no hash", bytes.Length, runs, () => Chunked(bytes, chunk));
        Time("ValidateAsync(MemoryStream) (pipe + CRC64NVME on a 2nd thread)", bytes.Length, runs,
            () => CsvValidator.ValidateAsync(new MemoryStream(bytes, writable: false)).GetAwaiter().GetResult().Rows);
        // The stored checksum's cost (docs/reliability.md "Integrity"): a single-part upload's full-object CRC64NVME
        // (computed anyway) against a multipart CRC32 upload's composite, checked part by part (8 MiB parts).
        var fullObject = new ExpectedChecksum(ChecksumAlgorithms.Crc64Nvme, ExpectedChecksum.FullObject, Crc64Nvme(bytes));
        Time("ValidateAsync, full-object CRC64NVME stored (plain upload)", bytes.Length, runs, () => Checked(bytes, fullObject));
        var composite = CompositeCrc32(bytes, 8 * 1024 * 1024);
        Time("ValidateAsync, composite CRC32 stored (multipart, 8 MiB parts)", bytes.Length, runs, () => Checked(bytes, composite));
        Time("Sep field enumeration", bytes.Length, runs, () => FieldEnumerators.Sep(bytes).Fields);
        Time("Sylvan field enumeration", bytes.Length, runs, () => FieldEnumerators.Sylvan(bytes).Fields);
        Time("CsvHelper field enumeration", bytes.Length, runs, () => FieldEnumerators.CsvHelper(bytes).Fields);
        Time("SHA-256 alone", bytes.Length, runs, () => SHA256.HashData(bytes)[0]);
        Time("CRC64NVME alone", bytes.Length, runs, () => (long)System.IO.Hashing.Crc64.HashToUInt64(System.IO.Hashing.Crc64ParameterSet.Nvme, bytes));
        Time("CRC32 alone", bytes.Length, runs, () => System.IO.Hashing.Crc32.HashToUInt32(bytes));
    }

    private static long Checked(byte[] bytes, ExpectedChecksum expected)
    {
        var result = CsvValidator.ValidateAsync(new MemoryStream(bytes, writable: false), ContentEncoding.None, null, expected).GetAwaiter().GetResult();
        return result.StoredChecksum?.Verified == true ? result.Rows : throw new InvalidOperationException("the stored checksum did not verify");
    }

    private static string Crc64Nvme(byte[] bytes)
    {
        var value = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(value, System.IO.Hashing.Crc64.HashToUInt64(System.IO.Hashing.Crc64ParameterSet.Nvme, bytes));
        return Convert.ToBase64String(value);
    }

    /// <summary>What S3 stores and lists for a multipart CRC32 upload of <paramref name="bytes"/> in parts of <paramref name="partBytes"/>.</summary>
    private static ExpectedChecksum CompositeCrc32(byte[] bytes, int partBytes)
    {
        var parts = new List<ExpectedPart>();
        var digests = new List<byte>();
        for (var offset = 0; offset < bytes.Length; offset += partBytes)
        {
            var size = Math.Min(partBytes, bytes.Length - offset);
            var digest = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(digest, System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(offset, size)));
            parts.Add(new ExpectedPart(parts.Count + 1, size, Convert.ToBase64String(digest)));
            digests.AddRange(digest);
        }
        var composite = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(composite, System.IO.Hashing.Crc32.HashToUInt32(digests.ToArray()));
        return new ExpectedChecksum(ChecksumAlgorithms.Crc32, ExpectedChecksum.Composite, $"{Convert.ToBase64String(composite)}-{parts.Count}") { Parts = parts };
    }

    /// <summary>The scan's classification alone: the floor under the engine's cost.</summary>
    private static long ClassifyOver(byte[] bytes)
    {
        ulong x = 0;
        for (var i = 0; i + ByteMasks.BlockBytes <= bytes.Length; i += ByteMasks.BlockBytes)
        {
            var classes = ByteMasks.Classify(ref bytes[i], (byte)'|');
            x += classes.HighBits ^ classes.Delimiters ^ classes.Rare ^ classes.LineFeeds;
        }
        return (long)x;
    }

    /// <summary>Classification plus the folded UTF-8 check, against the whole-file Utf8.IsValid it replaced.</summary>
    private static long Utf8BlocksOver(byte[] bytes)
    {
        var utf8 = new Utf8Blocks();
        long bad = 0;
        for (var i = 0; i + ByteMasks.BlockBytes <= bytes.Length; i += ByteMasks.BlockBytes)
        {
            var classes = ByteMasks.Classify(ref bytes[i], (byte)'|');
            if (!utf8.Accept(ref bytes[i], classes.HighBits))
            {
                bad++;
                utf8 = new Utf8Blocks();
            }
        }
        return bad;
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
        return engine.Complete().Rows;
    }

    private static void Time(string name, long bytes, int runs, Func<long> action)
    {
        // PROBE_ONLY=text runs only the probes whose name contains it (e.g. under perf).
        if (Environment.GetEnvironmentVariable("PROBE_ONLY") is { Length: > 0 } only && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
            return;
        action();
        var wall = new List<double>();
        var cpu = new List<double>();
        long result = 0;
        using var process = Process.GetCurrentProcess();
        for (int i = 0; i < runs; i++)
        {
            GC.Collect();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            result = action();
            wall.Add(clock.Elapsed.TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
        }
        wall.Sort();
        cpu.Sort();
        // CPU time counts every thread of the process: for single-threaded work it is what the wall-clock time would be
        // on an idle core, which this shared box rarely has.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-62} wall best {bytes / wall[0] / 1e9:F3} median {bytes / wall[wall.Count / 2] / 1e9:F3} GB/s | per CPU-second best {bytes / cpu[0] / 1e9:F3} median {bytes / cpu[cpu.Count / 2] / 1e9:F3} GB/s  ({result})"));
    }
}
