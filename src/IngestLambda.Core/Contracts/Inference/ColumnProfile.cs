using System.Text;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Contracts.Inference;

/// <summary>
/// What one column of a sample showed, gathered value by value in bounded memory for <see cref="ContractInference"/>:
/// which types every value fits, the range, a few distinct values, list shape, and how often each candidate spelling
/// of null occurred.
/// </summary>
internal sealed class ColumnProfile(string name)
{
    /// <summary>The spellings of null a sample may use; <c>""</c> counts as null only where a column is not text.</summary>
    public static readonly string[] NullCandidates = [@"\N", "NULL", "NA", "N/A", ""];

    private static readonly byte[][] NullBytes = [.. NullCandidates.Select(Encoding.ASCII.GetBytes)];

    /// <summary>A text column with at most this many distinct values (each seen 10 times on average) is an enum.</summary>
    private const int MaxEnumValues = 10;

    private readonly long[] _nullCounts = new long[NullCandidates.Length];
    private HashSet<string>? _distinct = new(StringComparer.Ordinal);
    private bool _integer = true, _year = true, _number = true, _date = true, _boolean = true;
    private bool _commas, _spacedCommas, _emptyItems, _spacedItems, _integerItems = true;
    private byte[]? _min, _max;
    private DateOnly? _minDate, _maxDate;

    public string Name { get; } = name;

    /// <summary>Values that are no null candidate.</summary>
    public long Values { get; private set; }

    public void Add(ReadOnlySpan<byte> value)
    {
        for (var k = 0; k < NullBytes.Length; k++)
        {
            if (value.SequenceEqual(NullBytes[k]))
            {
                _nullCounts[k]++;
                return;
            }
        }
        Values++;
        _year &= value.Length == 4 && value[0] is (byte)'1' or (byte)'2' && !value.ContainsAnyExceptInRange((byte)'0', (byte)'9');
        _integer &= DecimalText.TryParseInteger(value, out _);
        _boolean &= IsBooleanWord(value);
        _date &= DateFormat.Default.TryParse(value, out var date);
        if (DecimalText.TryParseNumber(value, (byte)'.', out var number) && !number.IsNaN)
            Widen(value, number);
        else
            _number = false;
        if (_date)
        {
            _minDate = _minDate is { } low && low <= date ? low : date;
            _maxDate = _maxDate is { } high && high >= date ? high : date;
        }
        if (_distinct is not null && _distinct.Add(Encoding.UTF8.GetString(value)) && _distinct.Count > MaxEnumValues)
            _distinct = null;
        NoteListShape(value);
    }

    private void Widen(ReadOnlySpan<byte> text, DecimalText number)
    {
        if (_min is null || DecimalText.Compare(number, Parse(_min)) < 0)
            _min = text.ToArray();
        if (_max is null || DecimalText.Compare(number, Parse(_max)) > 0)
            _max = text.ToArray();

        static DecimalText Parse(byte[] bound) => DecimalText.TryParseNumber(bound, (byte)'.', out var value) ? value : default;
    }

    private static bool IsBooleanWord(ReadOnlySpan<byte> value) =>
        value.SequenceEqual("true"u8) || value.SequenceEqual("false"u8) || value.SequenceEqual("True"u8)
        || value.SequenceEqual("False"u8) || value.SequenceEqual("TRUE"u8) || value.SequenceEqual("FALSE"u8);

    /// <summary>A list's items are separated by commas with no space beside them; text has ", " (or no comma).</summary>
    private void NoteListShape(ReadOnlySpan<byte> value)
    {
        if (value.IndexOf((byte)',') < 0)
        {
            NoteItem(value);
            return;
        }
        _commas = true;
        foreach (var range in value.Split((byte)','))
        {
            var item = value[range];
            if (item.IsEmpty)
                _emptyItems = true;
            else if (item[0] == (byte)' ' || item[^1] == (byte)' ')
                _spacedCommas = true;
            NoteItem(item);
        }
    }

    private void NoteItem(ReadOnlySpan<byte> item)
    {
        _integerItems &= DecimalText.TryParseInteger(item, out _);
        _spacedItems |= !item.IsEmpty && (item[0] == (byte)' ' || item[^1] == (byte)' ');
    }

    /// <summary>How many times a null candidate occurred.</summary>
    public long NullCount(int candidate) => _nullCounts[candidate];

    /// <summary>The type its values fit, the most specific first; text when none (or nothing but nulls) was seen.</summary>
    public LogicalType Type => Values == 0 ? LogicalType.String
        : _boolean ? LogicalType.Boolean
        : _year ? LogicalType.Year
        : _integer ? LogicalType.Integer
        : _number ? LogicalType.Number
        : _date ? LogicalType.Date
        : _commas && !_spacedCommas ? LogicalType.List
        : LogicalType.String;

    public LogicalType ItemType => _integerItems ? LogicalType.Integer : LogicalType.String;

    public bool EmptyItems => _emptyItems;

    public bool SpacedItems => _spacedItems;

    /// <summary>The sample's range: numbers as written, dates as <c>yyyy-mm-dd</c>.</summary>
    public (string? Minimum, string? Maximum) Range => Type == LogicalType.Date
        ? (_minDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), _maxDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
        : (_min is null ? null : Encoding.UTF8.GetString(_min), _max is null ? null : Encoding.UTF8.GetString(_max));

    /// <summary>The values of a text column with few distinct ones, sorted; null when there are many.</summary>
    public IReadOnlyList<string>? EnumValues =>
        _distinct is { Count: > 0 } distinct && Values >= 10L * distinct.Count ? [.. distinct.Order(StringComparer.Ordinal)] : null;
}
