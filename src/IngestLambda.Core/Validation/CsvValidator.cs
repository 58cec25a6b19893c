using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;

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
    /// Reads <paramref name="source"/> once to its end: validates every line and computes rows, bytes, SHA-256,
    /// line endings and BOM. A reader task reads and hashes (and decompresses) while this task validates, so the two overlap on two
    /// cores; the pipe between them holds a few chunks, and the engine at most one line, whatever the file size.
    /// A read failure is thrown, never turned into a verdict on partial data.
    /// </summary>
    public static Task<ValidationResult> ValidateAsync(Stream source, ValidationOptions? options = null, CancellationToken cancellationToken = default) =>
        ValidateAsync(source, ContentEncoding.None, options, cancellationToken);

    /// <summary>
    /// As above, for an object whose CSV may be gzip-compressed (<see cref="ContentEncodings.FromName"/>). Bytes and
    /// SHA-256 are of the object as stored, read once; the engine sees the decompressed CSV. A broken gzip stream is a
    /// verdict (<see cref="ErrorCodes.InvalidGzip"/>), not an exception.
    /// </summary>
    public static async Task<ValidationResult> ValidateAsync(Stream source, ContentEncoding encoding, ValidationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= ValidationOptions.Default;
        var engine = new ValidationEngine(options);
        // Raw read (counted and hashed: the stored object) -> decompression when the name says gzip -> pipe -> engine.
        await using var stored = new StoredBytesStream(source);
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
            var plain = engine.Complete(stored.Sha256Hex());
            return plain with { UncompressedBytes = plain.Bytes };
        }
        await stored.DrainAsync(cancellationToken).ConfigureAwait(false); // a broken stream stops early; bytes and hash cover it all
        return GzipVerdict(engine.Complete(stored.Sha256Hex()), stored.BytesRead, gzip.Problem, options);
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
        return result with { Accepted = false, ErrorCount = 1, Errors = options.MaxReportedErrors > 0 ? [error] : [] };
    }

    /// <summary>Validates bytes already in memory on the calling thread (benchmarks and tests); SHA-256 only when asked.</summary>
    internal static ValidationResult Validate(ReadOnlyMemory<byte> data, ValidationOptions? options = null, bool computeSha256 = true)
    {
        var engine = new ValidationEngine(options ?? ValidationOptions.Default);
        engine.Feed(new ReadOnlySequence<byte>(data), isFinal: true);
        var result = engine.Complete(computeSha256 ? Convert.ToHexStringLower(SHA256.HashData(data.Span)) : "");
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
