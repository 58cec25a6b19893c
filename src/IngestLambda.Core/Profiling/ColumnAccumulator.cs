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
/// One column's figures, fed one field at a time. Every column counts nulls (missing values), empties and an
/// estimate of its distinct values (non-empty, whole field); the kind adds its own figures over the non-empty values.
/// Nothing here allocates per field: the sketch is fixed, and the list counter allocates only for an item it keeps.
/// </summary>
internal sealed class ColumnAccumulator(ColumnKind kind, byte listDelimiter = (byte)',')
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

    public void Empty() => _empties++;

    /// <summary>A non-empty value that is not the null marker.</summary>
    public void Add(ReadOnlySpan<byte> value)
    {
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

    /// <summary>
    /// The same non-empty value as this column's previous field (rows repeat per credited artist, so a title's
    /// columns repeat): the distinct sketch and the byte lengths cannot change, only the counts and sums.
    /// </summary>
    public void Repeat(ReadOnlySpan<byte> value)
    {
        switch (Kind)
        {
            case ColumnKind.Numeric when _lastNumber is { } number:
                AddParsed(number);
                break;
            case ColumnKind.List when _top!.Generation == _lastItemsGeneration:
                foreach (var index in _lastItems.AsSpan(0, _lastItemCount))
                    _top.AddAgain(index);
                break;
            case ColumnKind.List:
                AddItems(value);
                break;
        }
    }

    private double? _lastNumber;
    /// <summary>The item indexes of this list column's previous value, while they stay valid (generation unchanged).</summary>
    private readonly int[] _lastItems = new int[MaxRememberedItems];
    private int _lastItemCount;
    private int _lastItemsGeneration = -1;
    private const int MaxRememberedItems = 16;

    private void AddNumber(ReadOnlySpan<byte> value)
    {
        // A value validation let through always parses; one that does not (no contract checked it) is left out.
        _lastNumber = DecimalNumber.TryParse(value, out var number) ? number : null;
        if (_lastNumber is not null)
            AddParsed(number);
    }

    private void AddParsed(double number)
    {
        _numbers++;
        _sum += number;
        if (number < _min)
            _min = number;
        if (number > _max)
            _max = number;
    }

    private void AddItems(ReadOnlySpan<byte> value)
    {
        var top = _top!;
        var remembered = 0;
        var rememberable = true;
        foreach (var range in value.Split(listDelimiter))
        {
            var item = value[range];
            if (item.IsEmpty)
                continue;
            var index = top.Add(item);
            if (index < 0 || remembered == MaxRememberedItems)
                rememberable = false;
            else
                _lastItems[remembered++] = index;
        }
        // A repeat of this value counts the same items again by index; a value whose items are not all kept is counted item by item.
        (_lastItemCount, _lastItemsGeneration) = rememberable ? (remembered, top.Generation) : (0, -1);
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
