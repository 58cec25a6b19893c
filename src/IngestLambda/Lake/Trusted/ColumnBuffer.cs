using System.Text;
using Parquet;
using Parquet.Schema;

namespace IngestLambda.Lake.Trusted;

/// <summary>
/// One column's values of the row group being filled, kept typed (or as UTF-16 slices of one buffer for text) until
/// the group is written; the buffers are reused by the next group.
/// </summary>
internal abstract class ColumnBuffer(TrustedColumn column)
{
    public TrustedColumn Column { get; } = column;
    public DataField Field { get; } = FieldFor(column);
    public int Count { get; protected set; }

    /// <summary>Appends a validated value; false when the value cannot be held by the column's type.</summary>
    public abstract bool TryAppend(ReadOnlySpan<byte> text);

    public abstract void AppendNull();

    public abstract Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken);

    public virtual void Clear() => Count = 0;

    /// <summary>
    /// Doubles <paramref name="values"/> when full: buffers start small and grow with the group, which may pass its row
    /// budget by one read block's rows (rows arrive a block at a time and the group is written between blocks).
    /// </summary>
    protected void Room<TValue>(ref TValue[] values)
    {
        if (Count == values.Length)
            Array.Resize(ref values, Math.Max(16, values.Length * 2));
    }

    public static ColumnBuffer For(TrustedColumn column, int capacity) => column.Kind switch
    {
        ParquetKind.Utf8 => new TextColumnBuffer(column, capacity),
        ParquetKind.Int32 => new ValueColumnBuffer<int>(column, capacity, static (ReadOnlySpan<byte> t, out int v) => FieldConversion.TryInt32(t, out v)),
        ParquetKind.Int64 => new ValueColumnBuffer<long>(column, capacity, static (ReadOnlySpan<byte> t, out long v) => FieldConversion.TryInt64(t, out v)),
        ParquetKind.Double => DoubleBuffer(column, capacity),
        ParquetKind.Date => new ValueColumnBuffer<DateOnly>(column, capacity, static (ReadOnlySpan<byte> t, out DateOnly v) => FieldConversion.TryDate(t, out v)),
        ParquetKind.Boolean => BooleanBuffer(column, capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Kind, "Unknown Parquet kind."),
    };

    private static ValueColumnBuffer<double> DoubleBuffer(TrustedColumn column, int capacity)
    {
        var decimalChar = column.DecimalChar;
        return new(column, capacity, (ReadOnlySpan<byte> t, out double v) => FieldConversion.TryDouble(t, decimalChar, out v));
    }

    private static ValueColumnBuffer<bool> BooleanBuffer(TrustedColumn column, int capacity)
    {
        var (trues, falses) = (FieldConversion.Utf8(column.TrueValues), FieldConversion.Utf8(column.FalseValues));
        return new(column, capacity, (ReadOnlySpan<byte> t, out bool v) => FieldConversion.TryBoolean(t, trues, falses, out v));
    }

    private static DataField FieldFor(TrustedColumn column) => column.Kind switch
    {
        ParquetKind.Utf8 => new DataField<string>(column.Name, column.Nullable),
        ParquetKind.Int32 => column.Nullable ? new DataField<int?>(column.Name) : new DataField<int>(column.Name),
        ParquetKind.Int64 => column.Nullable ? new DataField<long?>(column.Name) : new DataField<long>(column.Name),
        ParquetKind.Double => column.Nullable ? new DataField<double?>(column.Name) : new DataField<double>(column.Name),
        ParquetKind.Date => column.Nullable ? new DataField<DateOnly?>(column.Name) : new DataField<DateOnly>(column.Name),
        ParquetKind.Boolean => column.Nullable ? new DataField<bool?>(column.Name) : new DataField<bool>(column.Name),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Kind, "Unknown Parquet kind."),
    };
}

internal delegate bool Utf8Parser<T>(ReadOnlySpan<byte> text, out T value);

/// <summary>Whole numbers, doubles, dates and booleans: one nullable slot per row.</summary>
internal sealed class ValueColumnBuffer<T>(TrustedColumn column, int capacity, Utf8Parser<T> parse) : ColumnBuffer(column)
    where T : struct
{
    private T?[] _values = new T?[capacity];

    public override bool TryAppend(ReadOnlySpan<byte> text)
    {
        if (!parse(text, out var value))
            return false;
        Room(ref _values);
        _values[Count++] = value;
        return true;
    }

    public override void AppendNull()
    {
        Room(ref _values);
        _values[Count++] = null;
    }

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken)
    {
        if (Column.Nullable)
            return rowGroup.WriteAsync<T>(Field, _values.AsMemory(0, Count), null, null, cancellationToken);
        var values = new T[Count];
        for (var i = 0; i < Count; i++)
            values[i] = _values[i].GetValueOrDefault();
        return rowGroup.WriteAsync<T>(Field, values.AsMemory(), null, null, cancellationToken);
    }
}

/// <summary>
/// Text: each value decoded into one shared UTF-16 buffer (the writer takes <see cref="ReadOnlyMemory{T}"/> of chars),
/// so a row group costs no string objects.
/// </summary>
internal sealed class TextColumnBuffer(TrustedColumn column, int capacity) : ColumnBuffer(column)
{
    private ReadOnlyMemory<char>?[] _values = new ReadOnlyMemory<char>?[capacity];
    private int[] _starts = new int[capacity];
    private int[] _lengths = new int[capacity];
    private char[] _chars = new char[16 * 1024];
    private int _used;

    public override bool TryAppend(ReadOnlySpan<byte> text)
    {
        var most = Encoding.UTF8.GetMaxCharCount(text.Length);
        if (_chars.Length - _used < most)
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + most));
        var written = Encoding.UTF8.GetChars(text, _chars.AsSpan(_used));
        Grow();
        _starts[Count] = _used;
        _lengths[Count++] = written;
        _used += written;
        return true;
    }

    private void Grow()
    {
        if (Count < _starts.Length)
            return;
        Room(ref _lengths);
        Array.Resize(ref _starts, _lengths.Length);
        Array.Resize(ref _values, _lengths.Length);
    }

    public override void AppendNull()
    {
        Grow();
        _starts[Count] = -1;
        _lengths[Count++] = 0;
    }

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken)
    {
        // The slices are made only now: the buffer may have moved while the group filled.
        if (!Column.Nullable)
        {
            var required = new ReadOnlyMemory<char>[Count];
            for (var i = 0; i < Count; i++)
                required[i] = _chars.AsMemory(_starts[i], _lengths[i]);
            return rowGroup.WriteAsync<ReadOnlyMemory<char>>(Field, required.AsMemory(), null, null, cancellationToken);
        }
        // The cast keeps null a null: a bare null would become an empty slice (ReadOnlyMemory's conversion from char[]).
        for (var i = 0; i < Count; i++)
            _values[i] = _starts[i] < 0 ? (ReadOnlyMemory<char>?)null : _chars.AsMemory(_starts[i], _lengths[i]);
        return rowGroup.WriteAsync<ReadOnlyMemory<char>>(Field, _values.AsMemory(0, Count), null, null, cancellationToken);
    }

    public override void Clear()
    {
        base.Clear();
        _used = 0;
        Array.Clear(_values);
    }
}
