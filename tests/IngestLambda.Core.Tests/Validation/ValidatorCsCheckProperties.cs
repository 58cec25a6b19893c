using System.IO.Compression;
using System.Text;
using CsCheck;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// Property tests (CsCheck): generated valid files, single mutations of them judged against
/// <see cref="ReferenceChecker"/>, and a .csv against its .csv.gz. Bounded by iteration counts to a few seconds in all;
/// the long coverage-guided run is `make fuzz` (docs/reliability.md, "Fuzzing").
/// </summary>
public class ValidatorCsCheckProperties
{
    /// <summary>A generated valid file: its bytes and its data row count.</summary>
    internal sealed record ValidFile(byte[] Bytes, int Rows)
    {
        public override string ToString() => $"{Rows} rows: {Encoding.UTF8.GetString(Bytes)}";
    }

    /// <summary>Valid files of either dataset: 1 to 30 rows, LF or CRLF, with or without BOM and final line ending.</summary>
    internal static readonly Gen<ValidFile> ValidFiles =
        Gen.Select(Gen.Int, Gen.Int[1, 30], Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool)
            .Select((seed, rows, crlf, bom, finalNewline, series) => Build(new Random(seed), rows, crlf, bom, finalNewline, series ? 1 : 0));

    private static readonly byte[] Interesting = [(byte)'|', (byte)'\n', (byte)'\r', 0, (byte)'\\', (byte)'N', (byte)',', (byte)' ', (byte)'t', (byte)'.', (byte)'1', 0x80, 0xC3, 0xED, 0xF4, 0xFF, 0xEF, 0xBB, 0xBF];

    /// <summary>A valid file with one byte replaced, inserted or deleted, or one span duplicated.</summary>
    internal static readonly Gen<byte[]> MutatedFiles =
        Gen.Select(ValidFiles, Gen.Int[0, 3], Gen.Double[0, 1], Gen.Int[0, Interesting.Length], Gen.Int[0, 255], Gen.Int[1, 40])
            .Select((file, kind, where, pick, random, span) => Mutate(file.Bytes, kind, where, pick < Interesting.Length ? Interesting[pick] : (byte)random, span));

    private static ValidationOptions Options => new() { MaxReportedErrors = 1000 };

    [Fact]
    public void Any_generated_valid_file_is_accepted_with_its_exact_row_count() =>
        ValidFiles.Sample(file =>
        {
            var result = CsvValidator.Validate(file.Bytes, Options, computeDigests: false);
            Assert.True(result.Accepted, string.Join("; ", result.Errors.Select(e => $"line {e.Line}: {e.Code} {e.Message}")));
            Assert.Equal(file.Rows, result.Rows);
            Assert.Equal(0, result.ErrorCount);
            var reference = ReferenceChecker.Check(file.Bytes);
            Assert.True(reference.Accepted); // the reference agrees the generator makes valid files
        }, iter: 400);

    [Fact]
    public void Any_single_mutation_gets_the_reference_checkers_verdict()
    {
        var rejected = 0;
        MutatedFiles.Sample(bytes =>
        {
            var result = CsvValidator.Validate(bytes, Options, computeDigests: false);
            var reference = ReferenceChecker.Check(bytes);
            Assert.Equal(reference.Accepted, result.Accepted);
            Assert.Equal(reference.Dataset, result.Dataset);
            Assert.Equal(reference.Rows, result.Rows);
            Assert.Equal(reference.ErrorCount, result.ErrorCount);
            // Errors at one offset may be listed in either order; which errors, where, must agree.
            Assert.Equal(reference.Errors.Select(e => (e.Line, e.Offset)), result.Errors.Select(e => (e.Line, e.ByteOffset)));
            Assert.Equal(reference.Errors.Select(e => e.Code).Order(), result.Errors.Select(e => e.Code).Order());
            if (!result.Accepted)
                Interlocked.Increment(ref rejected);
        }, iter: 1500, print: bytes => Convert.ToHexString(bytes));
        Assert.InRange(rejected, 300, 1500); // the mutations do break files, so the comparison is not of verdicts alone
    }

    [Fact]
    public void A_csv_and_its_gzip_give_the_same_verdict_rows_and_errors() =>
        Gen.Frequency((1, ValidFiles.Select(f => f.Bytes)), (3, MutatedFiles)).Sample(bytes =>
        {
            var plain = CsvValidator.ValidateAsync(new MemoryStream(bytes), ContentEncoding.None, Options).GetAwaiter().GetResult();
            var gzip = CsvValidator.ValidateAsync(new MemoryStream(Gzip(bytes)), ContentEncoding.Gzip, Options).GetAwaiter().GetResult();
            Assert.Equal(plain.Accepted, gzip.Accepted);
            Assert.Equal(plain.Dataset, gzip.Dataset);
            Assert.Equal(plain.Rows, gzip.Rows);
            Assert.Equal(plain.ErrorCount, gzip.ErrorCount);
            Assert.Equal(plain.Errors, gzip.Errors);
            Assert.Equal((plain.LineEnding, plain.Bom, plain.Bytes), (gzip.LineEnding, gzip.Bom, gzip.UncompressedBytes));
        }, iter: 300, print: bytes => Convert.ToHexString(bytes));

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }

    private static byte[] Mutate(byte[] data, int kind, double where, byte value, int span)
    {
        var at = Math.Min((int)(where * data.Length), data.Length - 1);
        return kind switch
        {
            0 => [.. data[..at], value, .. data[(at + 1)..]],
            1 => [.. data[..at], value, .. data[at..]],
            2 => [.. data[..at], .. data[(at + 1)..]],
            _ => [.. data[..at], .. data[at..Math.Min(data.Length, at + span)], .. data[at..]],
        };
    }

    private static ValidFile Build(Random random, int rows, bool crlf, bool bom, bool finalNewline, int datasetIndex)
    {
        var dataset = SchemaCatalog.BuiltIn.Datasets[datasetIndex];
        var newline = crlf ? "\r\n" : "\n";
        var text = new StringBuilder(dataset.Header);
        for (var r = 0; r < rows; r++)
            text.Append(newline).Append(string.Join('|', dataset.Columns.Select(c => ValidValue(c, random))));
        if (finalNewline)
            text.Append(newline);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return new ValidFile(bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes, rows);
    }

    private static readonly string[] Words = ["Hamlet", "Ação", "千と千尋", "🎬", "\"Crocodile\"", "a,b", "O'Neil", " x ", "\\", "N", "tt1", "-"];

    /// <summary>A value the column's rule accepts (README.md "What a file must pass").</summary>
    private static string ValidValue(ColumnSchema column, Random random)
    {
        if (column.Nullable && random.Next(5) == 0)
            return "\\N";
        string Id() => "tt" + random.Next(0, 10_000_000).ToString("D" + random.Next(7, 10));
        string Word() => Words[random.Next(Words.Length)].Trim();
        string Name() => string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Word()).Where(w => w.Length > 0).DefaultIfEmpty("x"));
        return column.Rule switch
        {
            ColumnRule.Text when column.AllowEmpty && random.Next(4) == 0 => "",
            ColumnRule.Text => string.Join(' ', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Words[random.Next(Words.Length)])) is var t && t is "\\N" or "" ? "x" : t,
            ColumnRule.Id => Id(),
            ColumnRule.Year => random.Next(1000, 10000).ToString(),
            ColumnRule.WholeNumber => random.Next(0, 1_000_000).ToString(),
            ColumnRule.Rating => random.Next(12) == 0 ? "10.0" : $"{random.Next(0, 10)}.{random.Next(0, 10)}",
            ColumnRule.List => string.Join(',', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Name().Replace(",", "", StringComparison.Ordinal) is { Length: > 0 } n ? n : "x")),
            ColumnRule.IdList => string.Join(',', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Id())),
            ColumnRule.Enum => column.Values![random.Next(column.Values.Count)],
            _ => throw new InvalidOperationException($"no generator for {column.Rule}"),
        };
    }
}
