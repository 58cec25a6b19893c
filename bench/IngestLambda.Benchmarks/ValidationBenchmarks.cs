using System.Buffers;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using IngestLambda.Core.Validation;

namespace IngestLambda.Benchmarks;

/// <summary>
/// Issue #2: our validator against Sep, Sylvan and CsvHelper on the same in-memory bytes of a synthetic movies file
/// (200 MB by default), so the disk is not measured. Each competitor merely enumerates every field.
/// </summary>
[Config(typeof(LongRunConfig))]
public class ValidationBenchmarks
{
    private byte[] _bytes = [];

    [GlobalSetup]
    public void LoadFile()
    {
        _bytes = File.ReadAllBytes(BenchData.EnsureMovies());
        CheckCompetitorsAgree();
    }

    /// <summary>The public API: validation, line endings, BOM and SHA-256 in one pass (the hash may run on another core).</summary>
    [Benchmark(Description = "CsvValidator (public API, SHA-256)")]
    public async Task<long> Validator()
    {
        var result = await CsvValidator.ValidateAsync(new MemoryStream(_bytes, writable: false)).ConfigureAwait(false);
        if (!result.Accepted)
            throw new InvalidOperationException($"The synthetic file was rejected: {result.ErrorCount} errors, first {(result.Errors.Count > 0 ? result.Errors[0] : null)}");
        return result.Rows;
    }

    /// <summary>Validation alone: the engine on the bytes in memory, on this thread, without SHA-256 (the 1.5 GB/s target).</summary>
    [Benchmark(Description = "CsvValidator (validation alone, no hash)")]
    public long ValidatorNoHash()
    {
        var result = CsvValidator.Validate(_bytes, computeDigests: false);
        if (!result.Accepted)
            throw new InvalidOperationException($"The synthetic file was rejected: {result.ErrorCount} errors, first {(result.Errors.Count > 0 ? result.Errors[0] : null)}");
        return result.Rows;
    }

    /// <summary>
    /// Validation alone as the streaming path does it: the engine fed 256 KiB blocks (the pipe's segment size), so each
    /// block's UTF-8 check and scan share the cache. Faster than one 200 MB block, which reads the data from memory twice.
    /// </summary>
    [Benchmark(Description = "CsvValidator (validation alone, 256 KiB blocks)")]
    public long ValidatorNoHashBlocks()
    {
        var engine = new ValidationEngine(ValidationOptions.Default);
        int offset = 0;
        while (true)
        {
            int end = Math.Min(_bytes.Length, offset + BlockBytes);
            bool final = end == _bytes.Length;
            var consumed = engine.Feed(new ReadOnlySequence<byte>(_bytes, offset, end - offset), final);
            if (final)
                break;
            offset = consumed.GetInteger(); // array-backed: the array index where the unconsumed partial line starts
        }
        var result = engine.Complete();
        if (!result.Accepted)
            throw new InvalidOperationException($"The synthetic file was rejected: {result.ErrorCount} errors.");
        return result.Rows;
    }

    private const int BlockBytes = 256 * 1024;

    [Benchmark(Baseline = true, Description = "Sep 0.17.1")]
    public long Sep() => FieldEnumerators.Sep(_bytes).Fields;

    [Benchmark(Description = "Sylvan.Data.Csv 1.4.4")]
    public long Sylvan() => FieldEnumerators.Sylvan(_bytes).Fields;

    [Benchmark(Description = "CsvHelper 34.0.0 (SIMD, UTF-8)")]
    public long CsvHelper() => FieldEnumerators.CsvHelper(_bytes).Fields;

    /// <summary>A yardstick, not a parser: what SHA-256 alone costs on this machine (SHA-NI).</summary>
    [Benchmark(Description = "SHA-256 alone")]
    public byte[] Sha256() => SHA256.HashData(_bytes);

    /// <summary>
    /// A parser that merges rows at a lone quote or strips quotes would look fast and be wrong: check on the first
    /// few MB (which hold lone quotes and quoted nicknames) that every competitor sees exactly the reference's fields.
    /// </summary>
    private void CheckCompetitorsAgree()
    {
        int length = Math.Min(_bytes.Length, 8_000_000);
        length = Array.LastIndexOf(_bytes, (byte)'\n', length - 1) + 1;
        byte[] prefix = _bytes[..length];
        var chars = FieldEnumerators.Reference(prefix, lengthInBytes: false);
        var bytes = FieldEnumerators.Reference(prefix, lengthInBytes: true);
        foreach (var (name, count, expected) in new[]
                 {
                     ("Sep", FieldEnumerators.Sep(prefix), chars),
                     ("Sylvan", FieldEnumerators.Sylvan(prefix), chars),
                     ("CsvHelper", FieldEnumerators.CsvHelper(prefix), bytes),
                 })
        {
            if (count != expected)
                throw new InvalidOperationException($"{name} read {count} but the file holds {expected}: it is not parsing '|' without quotes.");
        }
    }
}
