using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

/// <summary>
/// A column's type and constraints judged as the contract declares them (<see cref="ColumnRule.Generic"/>): what the fast
/// rules do not cover. One value at a time, on its bytes; bounds compare exactly (<see cref="DecimalText"/>). Lists
/// judge each item with an item rule. This file holds construction and the checks; ValueRule.Describe.cs the sentence
/// an error shows.
/// </summary>
internal sealed partial class ValueRule
{
    private readonly LogicalType _type;
    private readonly Regex? _lexical;
    private readonly Regex? _pattern;
    private readonly int? _minLength;
    private readonly int? _maxLength;
    private readonly Bound? _lower;
    private readonly Bound? _upper;
    private readonly byte[][]? _enum;
    private readonly byte _decimalChar;
    private readonly DateFormat _dateFormat;
    private readonly byte[][] _trueValues;
    private readonly byte[][] _falseValues;
    private readonly ValueRule? _item;
    private readonly byte[] _listDelimiter;
    private readonly bool _noSpaces;

    /// <summary>A bound as written (a number, a year or a date in the column's format) and whether it is itself allowed.</summary>
    private sealed record Bound(byte[] Text, bool Inclusive);

    /// <summary>The rule of a column.</summary>
    public ValueRule(ColumnSchema column)
        : this(column.Type, column.Constraints, column.LexicalPattern, column.DecimalChar, column.DateFormat, column.TrueValues, column.FalseValues)
    {
        if (column.Type != LogicalType.List)
            return;
        // List items are read in their type's default form (Table Schema "list").
        var itemType = column.ItemType ?? LogicalType.String;
        _item = new ValueRule(itemType, column.ItemConstraints, null, '.', "default", ColumnSchema.DefaultTrueValues, ColumnSchema.DefaultFalseValues);
        _listDelimiter = Encoding.UTF8.GetBytes(column.ListDelimiter);
        _noSpaces = column.NoSpacesAroundCommas;
    }

    private ValueRule(LogicalType type, FieldConstraints constraints, string? lexicalPattern, char decimalChar, string dateFormat,
        IReadOnlyList<string> trueValues, IReadOnlyList<string> falseValues)
    {
        _type = type;
        _lexical = lexicalPattern is null ? null : CompilePattern(lexicalPattern);
        _pattern = constraints.Pattern is null ? null : CompilePattern(constraints.Pattern);
        _minLength = constraints.MinLength;
        _maxLength = constraints.MaxLength;
        _lower = BoundOf(constraints.Minimum, true) ?? BoundOf(constraints.ExclusiveMinimum, false);
        _upper = BoundOf(constraints.Maximum, true) ?? BoundOf(constraints.ExclusiveMaximum, false);
        _enum = constraints.Enum is { } values ? [.. values.Select(Encoding.UTF8.GetBytes)] : null;
        _decimalChar = (byte)decimalChar;
        _dateFormat = DateFormat.Parse(dateFormat, out var problem) ?? throw new ArgumentException(problem, nameof(dateFormat));
        _trueValues = [.. trueValues.Select(Encoding.UTF8.GetBytes)];
        _falseValues = [.. falseValues.Select(Encoding.UTF8.GetBytes)];
        _listDelimiter = [];
    }

    private static Bound? BoundOf(string? text, bool inclusive) => text is null ? null : new Bound(Encoding.UTF8.GetBytes(text), inclusive);

    /// <summary>
    /// A contract's regular expression, matched against the whole value. NonBacktracking keeps matching linear in the
    /// value's length whatever the pattern, so a hostile value cannot stall the validator; it rejects backreferences and
    /// lookarounds, which <see cref="PatternSyntax.TryCompile"/> reports as a contract problem.
    /// </summary>
    private static Regex CompilePattern(string pattern) =>
        PatternSyntax.TryCompile(pattern, out var regex, out var problem) ? regex : throw new ArgumentException(problem, nameof(pattern));

    /// <summary>Whether a (non-missing) value meets the type and every constraint.</summary>
    public bool IsValid(ReadOnlySpan<byte> value)
    {
        if (_lexical is not null && !FullMatch(_lexical, value))
            return false;
        return _type switch
        {
            LogicalType.String => IsValidText(value),
            LogicalType.Integer => DecimalText.TryParseInteger(value, out var number) && InRange(number, isInteger: true) && InEnum(number),
            LogicalType.Year => value.Length == 4 && !value.ContainsAnyExceptInRange((byte)'0', (byte)'9')
                && DecimalText.TryParseInteger(value, out var year) && InRange(year, isInteger: true) && InEnum(year),
            LogicalType.Number => DecimalText.TryParseNumber(value, _decimalChar, out var number) && InRange(number, isInteger: false) && InEnum(number),
            LogicalType.Date => _dateFormat.TryParse(value, out var date) && InRange(date) && InEnum(date),
            LogicalType.Boolean => IsOneOf(value, _trueValues) || IsOneOf(value, _falseValues),
            LogicalType.List => IsValidList(value),
            _ => false,
        };
    }

    private bool IsValidText(ReadOnlySpan<byte> value)
    {
        if (_minLength is { } || _maxLength is { })
        {
            var characters = CharacterCount(value);
            if (characters < (_minLength ?? 0) || characters > (_maxLength ?? int.MaxValue))
                return false;
        }
        return (_enum is null || IsOneOf(value, _enum)) && (_pattern is null || FullMatch(_pattern, value));
    }

    private bool IsValidList(ReadOnlySpan<byte> value)
    {
        var delimiter = _listDelimiter;
        var items = 0;
        foreach (var range in value.Split(delimiter))
        {
            var item = value[range];
            items++;
            if (_noSpaces && !item.IsEmpty && (item[0] == (byte)' ' || item[^1] == (byte)' '))
                return false;
            if (!_item!.IsValid(item))
                return false;
        }
        return items >= (_minLength ?? 0) && items <= (_maxLength ?? int.MaxValue);
    }

    private bool InRange(DecimalText value, bool isInteger)
    {
        if (value.IsNaN)
            return _lower is null && _upper is null;
        if (_lower is { } lower && !Satisfies(DecimalText.Compare(value, Parse(lower.Text, isInteger)), lower.Inclusive, above: true))
            return false;
        return _upper is not { } upper || Satisfies(DecimalText.Compare(value, Parse(upper.Text, isInteger)), upper.Inclusive, above: false);
    }

    private bool InRange(DateOnly value)
    {
        if (_lower is { } lower && !Satisfies(value.CompareTo(ParseDate(lower.Text)), lower.Inclusive, above: true))
            return false;
        return _upper is not { } upper || Satisfies(value.CompareTo(ParseDate(upper.Text)), upper.Inclusive, above: false);
    }

    private static bool Satisfies(int comparison, bool inclusive, bool above) =>
        above ? comparison > 0 || (inclusive && comparison == 0) : comparison < 0 || (inclusive && comparison == 0);

    private bool InEnum(DecimalText value)
    {
        if (_enum is null)
            return true;
        foreach (var allowed in _enum)
        {
            if (DecimalText.Compare(value, Parse(allowed, isInteger: _type != LogicalType.Number)) == 0)
                return true;
        }
        return false;
    }

    private bool InEnum(DateOnly value) => _enum is null || _enum.Any(allowed => ParseDate(allowed) == value);

    /// <summary>A bound or enum value, checked when the contract was read (ContractReader), so it always parses.</summary>
    private static DecimalText Parse(byte[] text, bool isInteger)
    {
        var parsed = isInteger ? DecimalText.TryParseInteger(text, out var value) : DecimalText.TryParseNumber(text, (byte)'.', out value);
        return parsed ? value : throw new InvalidOperationException("A bound that did not parse reached the validator.");
    }

    private DateOnly ParseDate(byte[] text) =>
        _dateFormat.TryParse(text, out var date) || DateFormat.Default.TryParse(text, out date)
            ? date
            : throw new InvalidOperationException("A date bound that did not parse reached the validator.");

    private static bool IsOneOf(ReadOnlySpan<byte> value, byte[][] values)
    {
        foreach (var allowed in values)
        {
            if (value.SequenceEqual(allowed))
                return true;
        }
        return false;
    }

    /// <summary>Characters (Unicode scalar values) in valid UTF-8: every byte that does not continue a sequence.</summary>
    internal static int CharacterCount(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) != 0x80)
                count++;
        }
        return count;
    }

    private static bool FullMatch(Regex regex, ReadOnlySpan<byte> utf8)
    {
        char[]? rented = null;
        var chars = utf8.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            var count = Encoding.UTF8.GetChars(utf8, chars);
            return regex.IsMatch(chars[..count]);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }
}
