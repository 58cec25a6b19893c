using System.Text;

namespace IngestLambda.Core.Profiling;

/// <summary>A column to profile: its name in the header and how it is profiled.</summary>
public readonly record struct ProfiledColumn(string Name, ColumnKind Kind);

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
    private readonly byte[] _nullMarker;
    private long _rows;

    /// <param name="columns">The header's columns, in order.</param>
    /// <param name="nullMarker">How a missing value is written; <c>\N</c> unless the contract says otherwise.</param>
    public FileProfiler(IReadOnlyList<ProfiledColumn> columns, string nullMarker = @"\N")
    {
        _columns = [.. columns];
        _accumulators = [.. columns.Select(c => new ColumnAccumulator(c.Kind))];
        _nullMarker = Encoding.UTF8.GetBytes(nullMarker);
    }

    /// <summary>One field of the current record: <paramref name="column"/> is its position in the header.</summary>
    public void Field(int column, ReadOnlySpan<byte> value)
    {
        var accumulator = _accumulators[column];
        if (value.SequenceEqual(_nullMarker))
            accumulator.Null();
        else
            accumulator.Add(value);
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
