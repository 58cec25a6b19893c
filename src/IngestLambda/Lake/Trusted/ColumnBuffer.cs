using Parquet;
using Parquet.Schema;

namespace IngestLambda.Lake.Trusted;

/// <summary>
/// One column's values of the row group being filled, kept as Parquet takes them: the present values packed together and,
/// for a nullable column, one definition level per row (1 present, 0 null). The writer reads both as they are, without a
/// copy, and the buffers are reused by the next group (docs/contracts.md "Trusted zone", Memory).
/// </summary>
internal abstract class ColumnBuffer(TrustedColumn column)
{
    private int[] _definitions = [];

    public TrustedColumn Column { get; } = column;
    public DataField Field { get; } = FieldFor(column);

    /// <summary>Rows in the group, nulls included.</summary>
    public int Count { get; private set; }

    /// <summary>Present values in the group.</summary>
    protected int Present { get; private set; }

    /// <summary>Appends a validated value; false when the value cannot be held by the column's type.</summary>
    public abstract bool TryAppend(ReadOnlySpan<byte> text);

    public void AppendNull() => Define(present: false);

    /// <summary>Writes the group's values of this column; <paramref name="scratch"/> is shared by the writer's columns.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter rowGroup, TextScratch scratch, CancellationToken cancellationToken);

    public virtual void Clear() => (Count, Present) = (0, 0);

    /// <summary>Records the row's definition level; a present value's slot is <see cref="Present"/> before the call.</summary>
    protected void Define(bool present)
    {
        if (Column.Nullable)
        {
            Room(ref _definitions, Count);
            _definitions[Count] = present ? 1 : 0;
        }
        Count++;
        if (present)
            Present++;
    }

    /// <summary>The definition levels Parquet takes for the group: none for a required column.</summary>
    /// <remarks>The cast keeps null a null: a bare null would become an empty memory (Memory's conversion from an array).</remarks>
    protected ReadOnlyMemory<int>? Definitions => Column.Nullable ? _definitions.AsMemory(0, Count) : (ReadOnlyMemory<int>?)null;

    /// <summary>
    /// Doubles <paramref name="values"/> when <paramref name="used"/> fills it: buffers start small and grow with the group,
    /// which may pass its budgets by one read block's rows (rows arrive a block at a time and groups are written between blocks).
    /// </summary>
    protected static void Room<TValue>(ref TValue[] values, int used)
    {
        if (used == values.Length)
            Array.Resize(ref values, Math.Max(1024, values.Length * 2));
    }

    public static ColumnBuffer For(TrustedColumn column) => column.Kind switch
    {
        ParquetKind.Utf8 => new TextColumnBuffer(column),
        ParquetKind.Int32 => new ValueColumnBuffer<int>(column, static (ReadOnlySpan<byte> t, out int v) => FieldConversion.TryInt32(t, out v)),
        ParquetKind.Int64 => new ValueColumnBuffer<long>(column, static (ReadOnlySpan<byte> t, out long v) => FieldConversion.TryInt64(t, out v)),
        ParquetKind.Double => DoubleBuffer(column),
        ParquetKind.Date => new ValueColumnBuffer<DateOnly>(column, static (ReadOnlySpan<byte> t, out DateOnly v) => FieldConversion.TryDate(t, out v)),
        ParquetKind.Boolean => BooleanBuffer(column),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Kind, "Unknown Parquet kind."),
    };

    private static ValueColumnBuffer<double> DoubleBuffer(TrustedColumn column)
    {
        var decimalChar = column.DecimalChar;
        return new(column, (ReadOnlySpan<byte> t, out double v) => FieldConversion.TryDouble(t, decimalChar, out v));
    }

    private static ValueColumnBuffer<bool> BooleanBuffer(TrustedColumn column)
    {
        var (trues, falses) = (FieldConversion.Utf8(column.TrueValues), FieldConversion.Utf8(column.FalseValues));
        return new(column, (ReadOnlySpan<byte> t, out bool v) => FieldConversion.TryBoolean(t, trues, falses, out v));
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

/// <summary>Whole numbers, doubles, dates and booleans: the present values packed, parsed as they arrive.</summary>
internal sealed class ValueColumnBuffer<T>(TrustedColumn column, Utf8Parser<T> parse) : ColumnBuffer(column)
    where T : struct
{
    private T[] _values = [];

    public override bool TryAppend(ReadOnlySpan<byte> text)
    {
        if (!parse(text, out var value))
            return false;
        Room(ref _values, Present);
        _values[Present] = value;
        Define(present: true);
        return true;
    }

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup, TextScratch scratch, CancellationToken cancellationToken) =>
        rowGroup.WriteAllPartsAsync<T>(Field, _values.AsMemory(0, Present), Definitions, null, cancellationToken);
}
