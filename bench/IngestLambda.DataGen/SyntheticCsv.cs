using System.Text;

namespace IngestLambda.DataGen;

/// <summary>
/// Writes synthetic movies/series files that look like the real ones and are valid by the rules of docs/contracts.md ("Data rules").
/// The same seed always gives the same rows; <see cref="Rows"/> yields exactly the rows <see cref="Write"/> writes, so a
/// test can change one field and know the line and column of the fault.
/// </summary>
public static class SyntheticCsv
{
    public const string MoviesHeader = "id|tituloPincipal|tituloOriginal|anoLancamento|tempoMinutos|genero|notaMedia|numeroVotos|generoArtista|personagem|nomeArtista|anoNascimento|anoFalecimento|profissao|titulosMaisConhecidos";
    public const string SeriesHeader = "id|tituloPincipal|tituloOriginal|anoLancamento|anoTermino|tempoMinutos|genero|notaMedia|numeroVotos|generoArtista|personagem|nomeArtista|anoNascimento|anoFalecimento|profissao|titulosMaisConhecidos";

    public static string Header(Dataset dataset) => dataset switch
    {
        Dataset.Movies => MoviesHeader,
        Dataset.Series => SeriesHeader,
        _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset, "Unknown dataset."),
    };

    /// <summary>The column names in file order.</summary>
    public static IReadOnlyList<string> Columns(Dataset dataset) => Header(dataset).Split('|');

    /// <summary>The data rows of the file <see cref="Write"/> writes with this seed, as fields; endless, each row a fresh array.</summary>
    public static IEnumerable<string[]> Rows(Dataset dataset, int seed)
    {
        var generator = new RowGenerator(dataset, seed);
        while (true)
        {
            var row = new string[generator.ColumnCount];
            generator.Next(row);
            yield return row;
        }
    }

    /// <summary>Writes the header and as many generated rows as <paramref name="size"/> asks for.</summary>
    public static SyntheticFileInfo Write(Stream output, Dataset dataset, SyntheticSize size, int seed, SyntheticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= SyntheticOptions.Default;
        var generator = new RowGenerator(dataset, seed);
        var row = new string[generator.ColumnCount];
        var writer = new LineWriter(output, options);
        writer.WriteHeader(Header(dataset));

        long rows = 0;
        while (size.IsBytes || rows < size.Value)
        {
            generator.Next(row);
            long limit = size.IsBytes && rows > 0 ? size.Value : long.MaxValue;
            if (!writer.TryWriteRow(row, limit))
                break;
            rows++;
        }
        writer.Finish();
        return new SyntheticFileInfo(rows, writer.BytesWritten);
    }

    /// <summary>Writes the header of <paramref name="dataset"/> and the given rows (e.g. from <see cref="Rows"/>, perhaps altered).</summary>
    public static SyntheticFileInfo WriteRows(Stream output, Dataset dataset, IEnumerable<IReadOnlyList<string>> rows, SyntheticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        var writer = new LineWriter(output, options ?? SyntheticOptions.Default);
        writer.WriteHeader(Header(dataset));
        long count = 0;
        foreach (var row in rows)
        {
            writer.TryWriteRow(row, long.MaxValue);
            count++;
        }
        writer.Finish();
        return new SyntheticFileInfo(count, writer.BytesWritten);
    }

    /// <summary>The whole file as bytes: handy for small test inputs.</summary>
    public static byte[] ToBytes(Dataset dataset, int rows, int seed, SyntheticOptions? options = null)
    {
        using var memory = new MemoryStream();
        Write(memory, dataset, SyntheticSize.Rows(rows), seed, options);
        return memory.ToArray();
    }

    /// <summary>Header and rows as the bytes of a file, for rows a test has built or altered.</summary>
    public static byte[] ToBytes(Dataset dataset, IEnumerable<IReadOnlyList<string>> rows, SyntheticOptions? options = null)
    {
        using var memory = new MemoryStream();
        WriteRows(memory, dataset, rows, options);
        return memory.ToArray();
    }

    /// <summary>
    /// Buffers UTF-8 lines in one large array and hands it to the stream in big writes. Line terminators are written
    /// before each line after the first, so the last line's terminator can be left off.
    /// </summary>
    private sealed class LineWriter
    {
        private const int BufferSize = 1 << 20;
        private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

        private readonly Stream _output;
        private readonly byte[] _newline;
        private readonly bool _finalNewline;
        private readonly bool _quoted;
        private byte[] _buffer = new byte[BufferSize];
        private int _used;
        private long _flushed;

        public LineWriter(Stream output, SyntheticOptions options)
        {
            _output = output;
            _newline = options.Crlf ? "\r\n"u8.ToArray() : "\n"u8.ToArray();
            _finalNewline = options.FinalNewline;
            _quoted = options.Quoted;
            if (options.Bom)
                Append(Bom);
        }

        public long BytesWritten => _flushed + _used;

        public void WriteHeader(string header)
        {
            EnsureSpace(header.Length * 3);
            _used += Encoding.UTF8.GetBytes(_quoted ? header.Replace('|', ',') : header, _buffer.AsSpan(_used));
        }

        /// <summary>Writes newline + row unless that would take the file past <paramref name="maxTotalBytes"/> (counting a final newline).</summary>
        public bool TryWriteRow(IReadOnlyList<string> row, long maxTotalBytes)
        {
            int worstCase = _newline.Length * 2 + row.Count * 3;
            for (int i = 0; i < row.Count; i++)
                worstCase += row[i].Length * 6; // UTF-8, and every quote doubled
            EnsureSpace(worstCase);

            int start = _used;
            var span = _buffer.AsSpan();
            _newline.CopyTo(span[_used..]);
            int at = _used + _newline.Length;
            for (int i = 0; i < row.Count; i++)
            {
                if (i > 0)
                    span[at++] = _quoted ? (byte)',' : (byte)'|';
                if (_quoted && row[i] != "\\N" && !IsNumber(row[i]))
                {
                    span[at++] = (byte)'"';
                    at += Encoding.UTF8.GetBytes(row[i].Replace("\"", "\"\"", StringComparison.Ordinal), span[at..]);
                    span[at++] = (byte)'"';
                }
                else
                {
                    at += Encoding.UTF8.GetBytes(row[i], span[at..]);
                }
            }

            long total = _flushed + at + (_finalNewline ? _newline.Length : 0);
            if (total > maxTotalBytes)
            {
                _used = start;
                return false;
            }
            _used = at;
            return true;
        }

        private static bool IsNumber(string field) =>
            field.Length > 0 && field.All(c => char.IsAsciiDigit(c) || c == '.') && char.IsAsciiDigit(field[0]);

        public void Finish()
        {
            if (_finalNewline)
                Append(_newline);
            Flush();
            _output.Flush();
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            EnsureSpace(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
        }

        private void EnsureSpace(int bytes)
        {
            if (_buffer.Length - _used >= bytes)
                return;
            Flush();
            if (_buffer.Length < bytes)
                _buffer = new byte[bytes];
        }

        private void Flush()
        {
            if (_used == 0)
                return;
            _output.Write(_buffer, 0, _used);
            _flushed += _used;
            _used = 0;
        }
    }
}
