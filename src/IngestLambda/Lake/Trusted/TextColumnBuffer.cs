using System.Text;
using Parquet;

namespace IngestLambda.Lake.Trusted;

/// <summary>
/// Text: the group's present values as UTF-8, as read, in one buffer. A value equal to the column's previous one (rows
/// repeat per credited person, so most text columns repeat row after row) is kept once and read by both rows. The
/// UTF-16 text the Parquet library takes is made only while the column is written, in <see cref="TextScratch"/>.
/// </summary>
internal sealed class TextColumnBuffer(TrustedColumn column) : ColumnBuffer(column)
{
    private byte[] _bytes = [];
    private int _used;
    private int[] _starts = [];
    private int[] _lengths = [];

    /// <summary>UTF-8 bytes this group holds (a repeated value counts once).</summary>
    public int HeldBytes => _used;

    public override bool TryAppend(ReadOnlySpan<byte> text)
    {
        var slot = Present;
        Room(ref _starts, slot);
        Room(ref _lengths, slot);
        if (slot > 0 && text.SequenceEqual(_bytes.AsSpan(_starts[slot - 1], _lengths[slot - 1])))
        {
            _starts[slot] = _starts[slot - 1];
        }
        else
        {
            if (_bytes.Length - _used < text.Length)
                Array.Resize(ref _bytes, Math.Max(Math.Max(4096, _bytes.Length * 2), _used + text.Length));
            text.CopyTo(_bytes.AsSpan(_used));
            _starts[slot] = _used;
            _used += text.Length;
        }
        _lengths[slot] = text.Length;
        Define(present: true);
        return true;
    }

    public override async Task WriteAsync(ParquetRowGroupWriter rowGroup, TextScratch scratch, CancellationToken cancellationToken)
    {
        var values = scratch.Decode(_bytes.AsSpan(0, _used), _starts.AsSpan(0, Present), _lengths.AsSpan(0, Present));
        try
        {
            await rowGroup.WriteAllPartsAsync<ReadOnlyMemory<char>>(Field, values, Definitions, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            scratch.Release(Present);
        }
    }

    public override void Clear()
    {
        base.Clear();
        _used = 0;
    }
}

/// <summary>
/// The UTF-16 text of the one column being written, reused column after column and group after group: the Parquet library
/// takes text only as UTF-16 (<see cref="ReadOnlyMemory{T}"/> of chars), and holding it for all columns at once would
/// double a group's memory.
/// </summary>
internal sealed class TextScratch
{
    private char[] _chars = [];
    private ReadOnlyMemory<char>[] _values = [];

    /// <summary>One slice per value; a value stored once for several rows is decoded once and its slice shared.</summary>
    public ReadOnlyMemory<ReadOnlyMemory<char>> Decode(ReadOnlySpan<byte> bytes, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths)
    {
        // Decoded as one piece: valid UTF-8 never needs more chars than bytes.
        if (_chars.Length < bytes.Length)
            _chars = new char[Math.Max(bytes.Length, _chars.Length * 2)];
        if (_values.Length < starts.Length)
            _values = new ReadOnlyMemory<char>[Math.Max(starts.Length, _values.Length * 2)];
        var charStart = 0;
        for (var i = 0; i < starts.Length; i++)
        {
            // The same bytes as the value before (an empty value takes no bytes, so the start alone does not tell).
            if (i > 0 && starts[i] == starts[i - 1] && lengths[i] == lengths[i - 1])
            {
                _values[i] = _values[i - 1];
                continue;
            }
            var written = Encoding.UTF8.GetChars(bytes.Slice(starts[i], lengths[i]), _chars.AsSpan(charStart));
            _values[i] = _chars.AsMemory(charStart, written);
            charStart += written;
        }
        return _values.AsMemory(0, starts.Length);
    }

    /// <summary>Drops the slices of the column just written, so none keeps an outgrown char buffer alive.</summary>
    public void Release(int count) => Array.Clear(_values, 0, count);
}
