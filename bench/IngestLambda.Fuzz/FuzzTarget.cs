using System.IO.Compression;
using IngestLambda.Core.Tests.Validation;
using IngestLambda.Core.Validation;

namespace IngestLambda.Fuzz;

/// <summary>
/// What one fuzz input must satisfy; a violation throws, which afl++ records as a crash. The input is read twice:
/// as a .csv (against the independent <see cref="ReferenceChecker"/>, whole and in small reads) and as a .csv.gz
/// (a sound gzip stream must give what the platform's GZipStream decompresses to; a broken one is invalid-gzip alone).
/// </summary>
internal static class FuzzTarget
{
    private static readonly ValidationOptions Options = new() { MaxReportedErrors = 1000, MaxLineBytes = 4096 };

    public static void Check(byte[] input)
    {
        var plain = Validate(input, ContentEncoding.None, readSize: int.MaxValue);
        AgreesWithReference(input, plain);
        Same(plain, Validate(input, ContentEncoding.None, readSize: 1 + input.Length % 7), "the same file read in small pieces");

        var gzip = Validate(input, ContentEncoding.Gzip, readSize: int.MaxValue);
        Require(gzip.Bytes == input.Length, "a .csv.gz reports its stored size");
        if (gzip.Errors is [{ Code: ErrorCodes.InvalidGzip }])
        {
            Require(gzip.ErrorCount == 1 && !gzip.Accepted, "invalid-gzip is the only error of a broken stream");
            return;
        }
        // A stream this reader takes as sound: the platform's reader must decompress it to the content judged.
        var content = Gunzip(input);
        var asPlain = Validate(content, ContentEncoding.None, readSize: int.MaxValue);
        Require(gzip.UncompressedBytes == content.Length, $"decompressed {gzip.UncompressedBytes} bytes, GZipStream {content.Length}");
        Same(asPlain with { Compression = "gzip", Bytes = gzip.Bytes, Sha256 = gzip.Sha256 }, gzip, "a .csv.gz against its decompressed content");
    }

    private static ValidationResult Validate(byte[] input, ContentEncoding encoding, int readSize) =>
        CsvValidator.ValidateAsync(new SmallReads(input, readSize), encoding, Options).GetAwaiter().GetResult();

    private static void AgreesWithReference(byte[] input, ValidationResult result)
    {
        var reference = ReferenceChecker.Check(input, maxLineBytes: Options.MaxLineBytes);
        Require(reference.Accepted == result.Accepted, $"verdict: reference {reference.Accepted}, engine {result.Accepted}");
        Require(reference.Dataset == result.Dataset, $"dataset: reference {reference.Dataset}, engine {result.Dataset}");
        Require(reference.Rows == result.Rows, $"rows: reference {reference.Rows}, engine {result.Rows}");
        Require(reference.ErrorCount == result.ErrorCount, $"error count: reference {reference.ErrorCount}, engine {result.ErrorCount}");
        var listed = reference.Errors.Take(Options.MaxReportedErrors).ToList();
        Require(listed.Select(e => (e.Line, e.Offset)).SequenceEqual(result.Errors.Select(e => (e.Line, e.ByteOffset))),
            $"errors: reference {string.Join(", ", listed.Take(5))}; engine {string.Join(", ", result.Errors.Take(5).Select(e => (e.Line, e.ByteOffset, e.Code)))}");
        Require(listed.Select(e => e.Code).Order().SequenceEqual(result.Errors.Select(e => e.Code).Order()), "error codes differ");
    }

    private static void Same(ValidationResult expected, ValidationResult actual, string what)
    {
        Require(expected.Accepted == actual.Accepted && expected.Dataset == actual.Dataset && expected.Rows == actual.Rows
            && expected.ErrorCount == actual.ErrorCount && expected.Errors.SequenceEqual(actual.Errors) && expected.LineEnding == actual.LineEnding
            && expected.Bom == actual.Bom && expected.Bytes == actual.Bytes && expected.Sha256 == actual.Sha256, $"{what}: results differ");
    }

    private static byte[] Gunzip(byte[] input)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(input), CompressionMode.Decompress))
            gzip.CopyTo(output);
        return output.ToArray();
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new InvalidOperationException("fuzz invariant broken: " + message);
    }

    /// <summary>Answers reads with at most <c>readSize</c> bytes, as a network stream may.</summary>
    private sealed class SmallReads(byte[] data, int readSize) : MemoryStream(data, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, readSize)], cancellationToken);
    }
}
