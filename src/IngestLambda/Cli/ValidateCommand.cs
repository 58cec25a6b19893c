using System.Diagnostics;
using System.Globalization;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Reports;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Cli;

/// <summary><c>bootstrap validate FILE [--json] [--contracts DIR]</c>: 0 accepted, 1 rejected, 2 usage, contract or I/O error.</summary>
internal static class ValidateCommand
{
    private const string Usage = "Usage: bootstrap validate FILE [--json] [--contracts DIR]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var json = false;
        string? contracts = null;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--json")
                json = true;
            else if (args[i] == "--contracts" && i + 1 < args.Length)
                contracts = args[++i];
            else
                files.Add(args[i]);
        }
        if (files.Count != 1 || files[0].StartsWith("--", StringComparison.Ordinal))
        {
            await stderr.WriteLineAsync(files.Count == 0 ? $"validate: no file given.\n{Usage}" : $"validate: expected one file, optionally --json and --contracts DIR.\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        if (LoadContracts(contracts, out var problem) is not { } schemas)
        {
            await stderr.WriteLineAsync($"validate: {problem}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var path = files[0];
        var started = Stopwatch.GetTimestamp();
        ValidationResult result;
        try
        {
            // No FileStream buffer: the validator reads large chunks itself.
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            // The name says what a file is (DATA.md): FILE.csv.gz is validated through decompression.
            result = await CsvValidator.ValidateAsync(stream, ContentEncodings.FromName(path), new ValidationOptions { Schemas = schemas }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            await stderr.WriteLineAsync($"validate: cannot read '{path}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var elapsed = Stopwatch.GetElapsedTime(started);

        if (json)
        {
            var report = IngestReport.From(result, DateTimeOffset.UtcNow, (long)elapsed.TotalMilliseconds);
            await stdout.WriteLineAsync(ReportJson.Serialize(report)).ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteAsync(HumanSummary(Path.GetFileName(path), result, elapsed)).ConfigureAwait(false);
        }
        return result.Accepted ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>
    /// The contracts of <c>--contracts DIR</c>, else the shipped ones (CONTRACTS_DIR, else contracts/ beside the
    /// executable). A file's landing prefix is unknown here, so every contract is a candidate (docs/contract-format.md).
    /// </summary>
    private static SchemaCatalog? LoadContracts(string? directory, out string? problem)
    {
        problem = null;
        try
        {
            return directory is null ? SchemaCatalog.BuiltIn : SchemaCatalog.Load(directory);
        }
        catch (ContractException e)
        {
            problem = e.Message;
            return null;
        }
    }

    internal static string HumanSummary(string name, ValidationResult r, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-6);
        var sw = new StringWriter(c);
        sw.WriteLine($"{name}: {r.Outcome.ToUpperInvariant()}");
        sw.WriteLine($"  dataset      {r.Dataset ?? "(unknown)"}");
        sw.WriteLine($"  rows         {r.Rows:N0}");
        sw.WriteLine($"  size         {r.Bytes:N0} bytes ({FormatBytes(r.Bytes)})");
        if (r.Compression != ContentEncoding.None.ReportName())
            sw.WriteLine($"  compression  {r.Compression}, {r.UncompressedBytes:N0} bytes uncompressed ({FormatBytes(r.UncompressedBytes)})");
        sw.WriteLine($"  time         {elapsed.TotalMilliseconds:N0} ms ({r.UncompressedBytes / seconds / 1e6:N1} MB/s{(r.Compression != ContentEncoding.None.ReportName() ? " uncompressed" : "")})");
        sw.WriteLine($"  line endings {r.LineEnding}{(r.Bom ? ", UTF-8 BOM" : "")}");
        sw.WriteLine($"  sha256       {r.Sha256}");
        if (r.ErrorCount > 0)
        {
            sw.WriteLine($"  errors       {r.ErrorCount:N0}{(r.ErrorCount > r.Errors.Count ? $" (first {r.Errors.Count} listed)" : "")}");
            foreach (var e in r.Errors)
            {
                var where = e.Line == 0 ? "file" : string.IsNullOrEmpty(e.Column) ? $"line {e.Line}" : $"line {e.Line}, {e.Column}";
                sw.WriteLine($"    {where} (byte {e.ByteOffset:N0}): [{e.Code}] {e.Message}");
                if (e.Excerpt.Length > 0)
                    sw.WriteLine($"      > {e.Excerpt}");
            }
        }
        return sw.ToString();
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):N2} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):N1} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):N1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
