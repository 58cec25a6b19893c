using System.Diagnostics;
using System.Globalization;
using IngestLambda.Configuration;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Reports;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Host.Cli;

/// <summary><c>bootstrap validate FILE [--json] [--contracts DIR]</c>: 0 accepted, 1 rejected, 2 usage, contract or I/O error.</summary>
internal static class ValidateCommand
{
    internal const string Usage = "Usage: bootstrap validate FILE [--json] [--contracts DIR]";

    /// <summary>Runs with the arguments <see cref="CommandDeclarations.Validate"/> parsed.</summary>
    public static async Task<int> RunAsync(string? path, bool json, string? contracts, TextWriter stdout, TextWriter stderr)
    {
        if (path is null)
        {
            await stderr.WriteLineAsync($"validate: no file given.\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (Directory.Exists(path))
        {
            // Opening a directory fails with "Access to the path is denied", which sends a person looking at permissions.
            await stderr.WriteLineAsync($"validate: '{path}' is a directory, not a file: give the path of one .csv or .csv.gz file.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        ValidationOptions options;
        try
        {
            // MAX_LINE_BYTES, MAX_REPORTED_ERRORS, INTEGRITY_SHA256 and the contracts (CONTRACTS_DIR) as the function reads them
            options = IngestConfig.FromEnvironment().Validation;
            if (contracts is not null)
                options = options with { Schemas = SchemaCatalog.Load(contracts) };
        }
        catch (Exception e) when (e is ConfigurationException or ContractException)
        {
            await stderr.WriteLineAsync($"validate: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var started = Stopwatch.GetTimestamp();
        ValidationResult result;
        try
        {
            // No FileStream buffer: the validator reads large chunks itself.
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            // The name says what a file is (docs/contracts.md "Compressed files"): FILE.csv.gz is validated through decompression.
            result = await CsvValidator.ValidateAsync(stream, ContentEncodings.FromName(path), options).ConfigureAwait(false);
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
        sw.WriteLine($"  crc64nvme    {r.Crc64Nvme}");
        if (r.Sha256 is not null)
            sw.WriteLine($"  sha256       {r.Sha256}");
        if (r.ErrorCount > 0)
        {
            sw.WriteLine($"  errors       {r.ErrorCount:N0}{(r.ErrorCountCapped ? "+ (counting stopped there)" : "")}{(r.ErrorCount > r.Errors.Count ? $" (first {r.Errors.Count} listed)" : "")}");
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
