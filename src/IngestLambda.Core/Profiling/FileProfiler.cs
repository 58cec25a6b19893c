using System.Numerics;
using System.Text;

namespace IngestLambda.Core.Profiling;

/// <summary>A column to profile: its name in the header and how it is profiled.</summary>
public readonly record struct ProfiledColumn(string Name, ColumnKind Kind)
{
    /// <summary>The texts that mean null (the contract's <c>missingValues</c>); <c>\N</c> when not given.</summary>
    public IReadOnlyList<string>? MissingValues { get; init; }

    /// <summary>For list columns: the byte between items (an ASCII list delimiter; a comma by default).</summary>
    public byte ListDelimiter { get; init; } = (byte)',';
}

/// <summary>
/// Gathers a file's profile (docs/contracts.md "Profile") while something else reads the file: it is fed each field
/// of each record as bytes (<see cref="Field"/>), or told that leading fields repeat the previous record's
/// (<see cref="Repeat"/>), and told where each record ends (<see cref="EndRecord"/>). Memory is
/// fixed per column (a 16 KiB distinct-count sketch, and for list columns a bounded item counter).
/// </summary>
public sealed class FileProfiler
{
    /// <summary>The column whose distinct values are the file's distinct titles (rows repeat per credited artist).</summary>
    public const string IdColumn = "id";

    private readonly ProfiledColumn[] _columns;
    private readonly ColumnAccumulator[] _accumulators;
    private readonly byte[][][] _missingValues; // per column
    /// <summary>Per column, bit n set when a missing value is n bytes long (bit 63: 63 or more), so most values need no comparison.</summary>
    private readonly ulong[] _missingLengths;
    private readonly ulong _allColumns;
    /// <summary>
    /// Per column, fields that repeat its previous one and are not yet counted: one counter per column in one array,
    /// so a record whose leading fields repeat touches one cache line, not every column's state.
    /// </summary>
    private readonly int[] _repeats;
    private ulong _repeatable; // bit f: column f's previous field can be counted again without its bytes
    private long _rows;

    /// <param name="columns">The header's columns, in order (at most 64: SchemaCatalog.MaxColumns).</param>
    public FileProfiler(IReadOnlyList<ProfiledColumn> columns)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns.Count, 64, nameof(columns));
        _columns = [.. columns];
        _accumulators = [.. columns.Select(c => new ColumnAccumulator(c.Kind, c.ListDelimiter))];
        _missingValues = [.. columns.Select(c => (c.MissingValues ?? [@"\N"]).Select(Encoding.UTF8.GetBytes).ToArray())];
        _missingLengths = [.. _missingValues.Select(values => values.Aggregate(0UL, (bits, v) => bits | LengthBit(v.Length)))];
        _repeats = new int[_columns.Length];
        _allColumns = _columns.Length == 0 ? 0 : ulong.MaxValue >> (64 - _columns.Length);
    }

    private static ulong LengthBit(int length) => 1UL << Math.Min(length, 63);

    /// <summary>One field of the current record: <paramref name="column"/> is its position in the header.</summary>
    public void Field(int column, ReadOnlySpan<byte> value)
    {
        var accumulator = _accumulators[column];
        if (_repeats[column] != 0)
        {
            accumulator.Again(_repeats[column]); // before this field, so sums add up in the file's order
            _repeats[column] = 0;
        }
        if (value.IsEmpty)
            accumulator.Empty();
        else if ((_missingLengths[column] & LengthBit(value.Length)) != 0 && IsMissing(column, value))
            accumulator.Null();
        else
            accumulator.Add(value);
        var bit = 1UL << column;
        _repeatable = accumulator.CanRepeat ? _repeatable | bit : _repeatable & ~bit;
    }

    /// <summary>
    /// The current record's first <paramref name="sharedFields"/> fields equal the previous record's, byte for byte
    /// (the validator knows it from the shared prefix it skips): they are counted again without their bytes. Returns
    /// the columns whose values must still be given to <see cref="Field"/>: those past the shared ones, and any shared
    /// one that cannot be counted again without its value.
    /// </summary>
    public ulong Repeat(int sharedFields)
    {
        var shared = _allColumns & (sharedFields >= 64 ? ulong.MaxValue : (1UL << sharedFields) - 1);
        var counted = shared & _repeatable;
        for (var fields = counted; fields != 0; fields &= fields - 1)
            _repeats[BitOperations.TrailingZeroCount(fields)]++;
        return _allColumns & ~counted;
    }

    private bool IsMissing(int column, ReadOnlySpan<byte> value)
    {
        foreach (var missing in _missingValues[column])
        {
            if (value.SequenceEqual(missing))
                return true;
        }
        return false;
    }

    /// <summary>The current record is complete.</summary>
    public void EndRecord() => _rows++;

    public FileProfile Result()
    {
        var columns = new Dictionary<string, ColumnStats>(_columns.Length, StringComparer.Ordinal);
        for (var i = 0; i < _columns.Length; i++)
        {
            _accumulators[i].Again(_repeats[i]);
            _repeats[i] = 0;
            columns[_columns[i].Name] = _accumulators[i].Result();
        }
        return new FileProfile
        {
            Rows = _rows,
            DistinctIds = columns.TryGetValue(IdColumn, out var ids) ? ids.Distinct : null,
            Columns = columns,
        };
    }
}
