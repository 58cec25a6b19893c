using System.Buffers;
using System.Text;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>Builds test files and runs the validator over them in every way the production code can be fed.</summary>
internal static class TestFiles
{
    public const string MoviesHeader = "id|tituloPincipal|tituloOriginal|anoLancamento|tempoMinutos|genero|notaMedia|numeroVotos|generoArtista|personagem|nomeArtista|anoNascimento|anoFalecimento|profissao|titulosMaisConhecidos";
    public const string SeriesHeader = "id|tituloPincipal|tituloOriginal|anoLancamento|anoTermino|tempoMinutos|genero|notaMedia|numeroVotos|generoArtista|personagem|nomeArtista|anoNascimento|anoFalecimento|profissao|titulosMaisConhecidos";

    public static readonly string[] MoviesColumns = MoviesHeader.Split('|');

    /// <summary>A valid movies row; override fields by column name.</summary>
    public static string MovieRow(params (string Column, string Value)[] overrides)
    {
        string[] fields = ["tt0000009", "Hamlet, Prince of Denmark", "\"Crocodile\" Dundee", "1898", "111", "Drama,Music", "7.5", "41",
            "actress", "Ofélia", "Agnès Santos", "\\N", "2013", "actress,producer", "tt28568770,tt5727084"];
        foreach (var (column, value) in overrides)
            fields[Array.IndexOf(MoviesColumns, column)] = value;
        return string.Join('|', fields);
    }

    /// <summary>Header plus rows, each ended by LF.</summary>
    public static byte[] Movies(params string[] rows) => Encoding.UTF8.GetBytes(MoviesHeader + "\n" + string.Concat(rows.Select(r => r + "\n")));

    public static ValidationOptions Options(int maxLineBytes = ValidationOptions.DefaultMaxLineBytes, int maxErrors = 100) =>
        new() { MaxLineBytes = maxLineBytes, MaxReportedErrors = maxErrors };

    /// <summary>Runs the engine over the whole buffer at once.</summary>
    public static ValidationResult Whole(byte[] data, ValidationOptions? options = null) =>
        CsvValidator.Validate(data, options ?? Options());

    /// <summary>
    /// Feeds the engine as a pipe reader would: segments arrive one by one, each Feed sees everything not yet
    /// consumed as a multi-segment sequence, and a last Feed marks the end.
    /// </summary>
    public static ValidationResult Segmented(byte[] data, IEnumerable<int> segmentSizes, ValidationOptions? options = null)
    {
        options ??= Options();
        var engine = new ValidationEngine(options);
        var pending = new List<ReadOnlyMemory<byte>>(); // segments not yet wholly consumed, as a pipe keeps them
        long pendingStart = 0; // file offset of pending[0]
        long consumed = 0;     // file offset up to which the engine has consumed
        var offset = 0;
        using var sizes = segmentSizes.GetEnumerator();
        while (offset < data.Length)
        {
            var size = sizes.MoveNext() ? Math.Clamp(sizes.Current, 1, data.Length - offset) : data.Length - offset;
            pending.Add(data.AsMemory(offset, size));
            offset += size;
            var available = Unconsumed(pending, ref pendingStart, consumed);
            var position = engine.Feed(available, isFinal: false);
            consumed += available.Slice(available.Start, position).Length;
        }
        engine.Feed(Unconsumed(pending, ref pendingStart, consumed), isFinal: true);
        using var digests = new StoredDigests(options.Sha256, expected: null);
        digests.Append(data);
        return digests.Complete(engine.Complete());
    }

    public static IEnumerable<int> Ones() { while (true) yield return 1; }

    public static IEnumerable<int> RandomSizes(int seed, int max)
    {
        var random = new Random(seed);
        while (true) yield return random.Next(1, max + 1);
    }

    /// <summary>Runs the public streaming API over a stream that returns at most <paramref name="readSize"/> bytes a read.</summary>
    public static Task<ValidationResult> Streamed(byte[] data, int readSize, ValidationOptions? options = null) =>
        CsvValidator.ValidateAsync(new TrickleStream(data, readSize), options ?? Options());

    /// <summary>The unconsumed bytes as a multi-segment sequence with the real segment boundaries; drops consumed segments.</summary>
    private static ReadOnlySequence<byte> Unconsumed(List<ReadOnlyMemory<byte>> pending, ref long pendingStart, long consumed)
    {
        var drop = 0;
        while (drop < pending.Count && pendingStart + pending[drop].Length <= consumed)
            pendingStart += pending[drop++].Length;
        pending.RemoveRange(0, drop);
        Segment? first = null, last = null;
        foreach (var memory in pending)
        {
            if (first is null)
                first = last = new Segment(memory[(int)(consumed - pendingStart)..], 0);
            else
                last = last!.Append(memory);
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    /// <summary>
    /// A read-only, forward-only stream whose subclasses say only how to fill a buffer, synchronously: the product's
    /// <see cref="ForwardReadStream"/> with its asynchronous read answered at once.
    /// </summary>
    internal abstract class ForwardOnlyStream : ForwardReadStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public abstract override int Read(Span<byte> buffer);
    }

    /// <summary>A stream that hands out data in small reads, as a slow network would.</summary>
    internal sealed class TrickleStream(byte[] data, int readSize) : ForwardOnlyStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(readSize, buffer.Length), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }
}
