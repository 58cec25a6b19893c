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
/// of each record as bytes (<see cref="Field"/>) and told where each record ends (<see cref="EndRecord"/>). Memory is
/// fixed per column (a 16 KiB distinct-count sketch, and for list columns a bounded item counter).
/// </summary>
public sealed class FileProfiler
{
    /// <summary>The column whose distinct values are the file's distinct titles (rows repeat per credited artist).</summary>
    public const string IdColumn = "id";

    private readonly ProfiledColumn[] _columns;
    private readonly ColumnAccumulator[] _accumulators;
    private readonly byte[][][] _missingValues; // per column
    /// <summary>Each column's previous non-empty value (when it fits <see cref="RememberedBytes"/>), to spot a repeat.</summary>
    private readonly byte[] _previous;
    private readonly int[] _previousLength;
    private long _rows;

    private const int RememberedBytes = 64;

    /// <param name="columns">The header's columns, in order.</param>
    public FileProfiler(IReadOnlyList<ProfiledColumn> columns)
    {
        _columns = [.. columns];
        _accumulators = [.. columns.Select(c => new ColumnAccumulator(c.Kind, c.ListDelimiter))];
        _missingValues = [.. columns.Select(c => (c.MissingValues ?? [@"\N"]).Select(Encoding.UTF8.GetBytes).ToArray())];
        _previous = new byte[_columns.Length * RememberedBytes];
        _previousLength = [.. Enumerable.Repeat(-1, _columns.Length)];
    }

    /// <summary>One field of the current record: <paramref name="column"/> is its position in the header.</summary>
    public void Field(int column, ReadOnlySpan<byte> value)
    {
        var accumulator = _accumulators[column];
        if (value.IsEmpty)
        {
            accumulator.Empty();
            return;
        }
        if (IsMissing(column, value))
        {
            accumulator.Null();
            return;
        }
        // Rows repeat per credited artist, so a title's columns repeat row after row: a repeat skips the hash and the parse.
        var previous = _previous.AsSpan(column * RememberedBytes, RememberedBytes);
        if (value.Length == _previousLength[column] && value.SequenceEqual(previous[..value.Length]))
        {
            accumulator.Repeat(value);
            return;
        }
        accumulator.Add(value);
        if (value.Length <= RememberedBytes)
        {
            value.CopyTo(previous);
            _previousLength[column] = value.Length;
        }
        else
            _previousLength[column] = -1;
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
            columns[_columns[i].Name] = _accumulators[i].Result();
        return new FileProfile
        {
            Rows = _rows,
            DistinctIds = columns.TryGetValue(IdColumn, out var ids) ? ids.Distinct : null,
            Columns = columns,
        };
    }
}
