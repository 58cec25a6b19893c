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
    private readonly RecentShortValues _recent = new();
    private long _nulls, _empties, _numbers;
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity, _sum;
    private int _minBytes = int.MaxValue, _maxBytes = -1;

    public ColumnKind Kind { get; } = kind;

    public void Null()
    {
        _nulls++;
        _last = Outcome.Null;
    }

    public void Empty()
    {
        _empties++;
        _last = Outcome.Empty;
    }

    /// <summary>A non-empty value that is not the null marker.</summary>
    public void Add(ReadOnlySpan<byte> value)
    {
        _last = Outcome.Value;
        var key = 0UL; // a short value's key in _recent; 0 for a longer one
        if (value.Length <= RecentShortValues.MaxBytes)
        {
            key = RecentShortValues.KeyOf(value);
            if (_recent.TryGet(key, out var known))
            {
                AddKnown(value, known);
                return;
            }
        }
        _distinct.Add(value);
        switch (Kind)
        {
            case ColumnKind.Numeric:
                AddNumber(value, key);
                return;
            case ColumnKind.List:
                AddItems(value);
                break;
            default:
                _minBytes = Math.Min(_minBytes, value.Length);
                _maxBytes = Math.Max(_maxBytes, value.Length);
                break;
        }
        if (key != 0)
            _recent.Remember(key);
    }

    /// <summary>
    /// A short value this column added before (<see cref="RecentShortValues"/>): the sketch already holds it and its
    /// length is already within minBytes..maxBytes, so only the counts change; a number was read then.
    /// </summary>
    private void AddKnown(ReadOnlySpan<byte> value, double number)
    {
        switch (Kind)
        {
            case ColumnKind.Numeric:
                _lastNumber = number;
                AddParsed(number);
                break;
            case ColumnKind.List:
                AddItems(value);
                break;
        }
    }

    /// <summary>
    /// Whether the previous field can be counted again without its bytes (<see cref="Again"/>): always, but for a list
    /// value whose items are not all kept by index any more.
    /// </summary>
    public bool CanRepeat => _last switch
    {
        Outcome.None => false,
        Outcome.Value when Kind == ColumnKind.List => _lastItemsGeneration == _top!.Generation,
        _ => true,
    };

    /// <summary>
    /// The previous field <paramref name="times"/> more times, without its bytes (rows repeat per credited artist, so a
    /// title's columns repeat; <see cref="CanRepeat"/> holds): the distinct sketch and the byte lengths cannot change,
    /// only the counts and sums. The sum adds the number once per field, as <see cref="Add"/> would, so the mean is the
    /// same to the last bit.
    /// </summary>
    public void Again(int times)
    {
        switch (_last)
        {
            case Outcome.Null:
                _nulls += times;
                break;
            case Outcome.Empty:
                _empties += times;
                break;
            case Outcome.Value when Kind == ColumnKind.Numeric && _lastNumber is { } number:
                for (var i = 0; i < times; i++)
                    AddParsed(number);
                break;
            case Outcome.Value when Kind == ColumnKind.List:
                foreach (var index in _lastItems.AsSpan(0, _lastItemCount))
                    _top!.AddAgain(index, times);
                break;
        }
    }

    private enum Outcome : byte { None, Null, Empty, Value }

    private Outcome _last;
    private double? _lastNumber;
    /// <summary>The item indexes of this list column's previous value, while they stay valid (generation unchanged).</summary>
    private readonly int[] _lastItems = new int[MaxRememberedItems];
    private int _lastItemCount;
    private int _lastItemsGeneration = -1;
    private const int MaxRememberedItems = 16;

    private void AddNumber(ReadOnlySpan<byte> value, ulong key)
    {
        // A value validation let through always parses; one that does not (no contract checked it) is left out, and
        // not remembered as short, so it takes this path each time.
        _lastNumber = DecimalNumber.TryParse(value, out var number) ? number : null;
        if (_lastNumber is null)
            return;
        AddParsed(number);
        if (key != 0)
            _recent.Remember(key, number);
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
        // Items one by one from the delimiter positions (no split enumerator: this runs for every item of every list).
        var rest = value;
        while (true)
        {
            var end = rest.IndexOf(listDelimiter);
            var item = end < 0 ? rest : rest[..end];
            if (!item.IsEmpty)
            {
                var index = top.Add(item);
                if (index < 0 || remembered == MaxRememberedItems)
                    rememberable = false;
                else
                    _lastItems[remembered++] = index;
            }
            if (end < 0)
                break;
            rest = rest[(end + 1)..];
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
