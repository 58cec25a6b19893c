using System.Buffers;
using System.IO.Pipelines;

namespace IngestLambda.Core.Validation;

/// <summary>Validates a pipe-delimited UTF-8 CSV in one pass with bounded memory.</summary>
public static class CsvValidator
{
    /// <summary>How much is read from the source at a time.</summary>
    internal const int ReadChunkBytes = 128 * 1024;

    /// <summary>
    /// How far the reader may run ahead of validation. The engine keeps a line that spans chunks itself, so this need
    /// not hold a whole line; 8 chunks measured faster than 4 (fewer stalls between reader and validator) for 0.4 MB more.
    /// </summary>
    private const int ReadAheadBytes = 8 * ReadChunkBytes;

    /// <summary>
    /// Reads <paramref name="source"/> once to its end: validates every line and computes rows, bytes, CRC64NVME (and
    /// SHA-256 when <see cref="ValidationOptions.Sha256"/>), line endings and BOM. A reader task reads and hashes (and decompresses) while this task validates, so the two overlap on two
    /// cores; the pipe between them holds a few chunks, and the engine at most one line, whatever the file size.
    /// A read failure is thrown, never turned into a verdict on partial data.
    /// </summary>
    public static Task<ValidationResult> ValidateAsync(Stream source, ValidationOptions? options = null, CancellationToken cancellationToken = default) =>
        ValidateAsync(source, ContentEncoding.None, options, cancellationToken);

    /// <summary>
    /// As above, for an object whose CSV may be gzip-compressed (<see cref="ContentEncodings.FromName"/>). Bytes and
    /// digests are of the object as stored, read once; the engine sees the decompressed CSV. A broken gzip stream is a
    /// verdict (<see cref="ErrorCodes.InvalidGzip"/>), not an exception.
    /// </summary>
    public static Task<ValidationResult> ValidateAsync(Stream source, ContentEncoding encoding, ValidationOptions? options = null, CancellationToken cancellationToken = default) =>
        ValidateAsync(source, encoding, options, expected: null, cancellationToken);

    /// <summary>
    /// As above, also checking the bytes against <paramref name="expected"/>, the checksum S3 says it stored: its
    /// algorithm is computed in the same pass, and the result's <see cref="ValidationResult.StoredChecksum"/> says
    /// whether it matched. Deciding what a mismatch means is the caller's.
    /// </summary>
    public static Task<ValidationResult> ValidateAsync(Stream source, ContentEncoding encoding, ValidationOptions? options, ExpectedChecksum? expected,
        CancellationToken cancellationToken = default) =>
        ValidateAsync(source, encoding, options, expected, sink: null, cancellationToken);

    /// <summary>
    /// As above, also handing each valid row's values to <paramref name="sink"/> in the same read, and letting it write
    /// out what it buffered between blocks (docs/contracts.md "Trusted zone").
    /// </summary>
    public static async Task<ValidationResult> ValidateAsync(Stream source, ContentEncoding encoding, ValidationOptions? options, ExpectedChecksum? expected,
        IRowSink? sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= ValidationOptions.Default;
        var engine = new ValidationEngine(options) { Sink = sink };
        // Raw read (counted and digested: the stored object) -> decompression when the name says gzip -> pipe -> engine.
        using var digests = new StoredDigests(options.Sha256, expected);
        await using var stored = new StoredBytesStream(source, digests);
        await using var gzip = encoding == ContentEncoding.Gzip ? new GzipContentStream(stored) : null;
        Stream content = gzip ?? (Stream)stored;

        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: ReadAheadBytes,
            resumeWriterThreshold: ReadAheadBytes / 2,
            minimumSegmentSize: ReadChunkBytes,
            useSynchronizationContext: false));
        var fill = Task.Run(() => FillAsync(content, pipe.Writer, cancellationToken), cancellationToken);

        try
        {
            while (true)
            {
                var read = await pipe.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var consumed = engine.Feed(read.Buffer, read.IsCompleted);
                pipe.Reader.AdvanceTo(consumed, read.Buffer.End);
                if (sink is not null)
                    await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (read.IsCompleted)
                    break;
            }
        }
        catch (Exception ex)
        {
            await pipe.Reader.CompleteAsync(ex).ConfigureAwait(false);
            await fill.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        await pipe.Reader.CompleteAsync().ConfigureAwait(false);
        await fill.ConfigureAwait(false);
        if (gzip is null)
        {
            var plain = digests.Complete(engine.Complete());
            return plain with { UncompressedBytes = plain.Bytes };
        }
        await stored.DrainAsync(cancellationToken).ConfigureAwait(false); // a broken stream stops early; bytes and digests cover it all
        return GzipVerdict(digests.Complete(engine.Complete()), stored.BytesRead, gzip.Problem, options);
    }

    /// <summary>The engine's verdict on the decompressed CSV, restated for the stored gzip object; a gzip problem outranks what the engine saw.</summary>
    private static ValidationResult GzipVerdict(ValidationResult content, long storedBytes, GzipProblem? problem, ValidationOptions options)
    {
        var result = content with { Compression = ContentEncoding.Gzip.ReportName(), UncompressedBytes = content.Bytes, Bytes = storedBytes };
        if (problem is null)
            return result;
        // The content seen so far is cut off at an arbitrary point, so the engine's errors are not trustworthy; report the cause alone.
        // Worded for every caller: `bootstrap validate` on a local file quarantines nothing (issue #25).
        var error = new ValidationError(0, "", problem.ByteOffset, ErrorCodes.InvalidGzip,
            $"{problem.Message}. Compress the CSV again (gzip FILE.csv) before landing it.", "");
        return result with { Accepted = false, ErrorCount = 1, ErrorCountCapped = false, Errors = options.MaxReportedErrors > 0 ? [error] : [], Profile = null };
    }

    /// <summary>Validates bytes already in memory on the calling thread (benchmarks and tests); digests only when asked.</summary>
    internal static ValidationResult Validate(ReadOnlyMemory<byte> data, ValidationOptions? options = null, bool computeDigests = true)
    {
        options ??= ValidationOptions.Default;
        var engine = new ValidationEngine(options);
        engine.Feed(new ReadOnlySequence<byte>(data), isFinal: true);
        var result = engine.Complete();
        if (computeDigests)
        {
            using var digests = new StoredDigests(options.Sha256, expected: null);
            digests.Append(data.Span);
            result = digests.Complete(result);
        }
        return result with { UncompressedBytes = result.Bytes };
    }

    private static async Task FillAsync(Stream source, PipeWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(ReadChunkBytes);
                var read = await source.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    break;
                writer.Advance(read);
                var flush = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flush.IsCompleted)
                    break; // the validator stopped reading
            }
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex).ConfigureAwait(false);
        }
    }
}
