using System.Buffers.Text;

namespace IngestLambda.Core.Profiling;

/// <summary>How a column is profiled (docs/contracts.md "Profile"); the contract's type of the column decides it.</summary>
public enum ColumnKind
{
    /// <summary>Text (and dates, booleans): the shortest and longest value in bytes.</summary>
    Text,
    /// <summary>Numbers: min, max and mean.</summary>
    Numeric,
    /// <summary>Comma-separated items: the most frequent items.</summary>
    List,
}

/// <summary>
/// One column's figures, fed one field at a time. Every column counts nulls (the null marker), empties and an
/// estimate of its distinct values (non-empty, whole field); the kind adds its own figures over the non-empty values.
/// Nothing here allocates per field: the sketch is fixed, and the list counter allocates only for an item it keeps.
/// </summary>
internal sealed class ColumnAccumulator(ColumnKind kind)
{
    /// <summary>How many list items the profile keeps.</summary>
    public const int TopCount = 20;

    private readonly HyperLogLog _distinct = new();
    private readonly TopItems? _top = kind == ColumnKind.List ? new TopItems() : null;
    private long _nulls, _empties, _numbers;
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity, _sum;
    private int _minBytes = int.MaxValue, _maxBytes = -1;

    public ColumnKind Kind { get; } = kind;

    public void Null() => _nulls++;

    public void Add(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            _empties++;
            return;
        }
        _distinct.Add(value);
        switch (Kind)
        {
            case ColumnKind.Numeric:
                AddNumber(value);
                break;
            case ColumnKind.List:
                AddItems(value);
                break;
            default:
                _minBytes = Math.Min(_minBytes, value.Length);
                _maxBytes = Math.Max(_maxBytes, value.Length);
                break;
        }
    }

    private void AddNumber(ReadOnlySpan<byte> value)
    {
        // A value validation let through always parses; one that does not (no contract checked it) is left out.
        if (!Utf8Parser.TryParse(value, out double number, out var consumed) || consumed != value.Length)
            return;
        _numbers++;
        _sum += number;
        if (number < _min)
            _min = number;
        if (number > _max)
            _max = number;
    }

    private void AddItems(ReadOnlySpan<byte> value)
    {
        foreach (var range in value.Split((byte)','))
        {
            var item = value[range];
            if (!item.IsEmpty)
                _top!.Add(item);
        }
    }

    public ColumnStats Result()
    {
        var stats = new ColumnStats { Nulls = _nulls, Empties = _empties, Distinct = _distinct.Estimate() };
        return Kind switch
        {
            ColumnKind.Numeric when _numbers > 0 => stats with { Min = _min, Max = _max, Mean = _sum / _numbers },
            ColumnKind.Text when _maxBytes >= 0 => stats with { MinBytes = _minBytes, MaxBytes = _maxBytes },
            ColumnKind.List => stats with { Top = _top!.Top(TopCount) },
            _ => stats,
        };
    }
}
