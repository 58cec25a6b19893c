using System.Text;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

// The sentence an error of a generic rule shows: what the column's contract expects, in words.
internal sealed partial class ValueRule
{
    /// <summary>The message for a value that breaks this rule, e.g. "rating is not a valid number: expected a number from 0.5 to 5."</summary>
    public string Describe(string name) => _type switch
    {
        LogicalType.String => $"{name} is not valid: expected {Expectation()}.",
        _ => $"{name} is not a valid {TypeWord}: expected {Expectation()}.",
    };

    private string TypeWord => _type switch
    {
        LogicalType.Integer => "integer",
        LogicalType.Number => "number",
        LogicalType.Year => "year",
        LogicalType.Date => "date",
        LogicalType.Boolean => "boolean",
        _ => "list",
    };

    /// <summary>What a valid value looks like.</summary>
    private string Expectation()
    {
        var text = new StringBuilder(_type switch
        {
            LogicalType.String => _enum is not null ? OneOf(_enum) : "text",
            LogicalType.Integer => _enum is not null ? OneOf(_enum) : "a whole number",
            LogicalType.Number => _enum is not null ? OneOf(_enum) : $"a number with '{(char)_decimalChar}' as its decimal point",
            LogicalType.Year => _enum is not null ? OneOf(_enum) : "4 digits",
            LogicalType.Date => _enum is not null ? OneOf(_enum) : $"a date written {_dateFormat.Shape}",
            LogicalType.Boolean => $"{OneOf(_trueValues)} for true, or {OneOf(_falseValues)} for false",
            _ => $"items separated by '{Encoding.UTF8.GetString(_listDelimiter)}'",
        });
        if (_type is LogicalType.String or LogicalType.List)
            text.Append(Lengths(_type == LogicalType.String ? "characters" : "items"));
        else
            text.Append(Range());
        if (_pattern is not null)
            text.Append(" matching ").Append(PatternText(_pattern));
        if (_lexical is not null)
            text.Append(", written as ").Append(PatternText(_lexical));
        if (_noSpaces)
            text.Append(", without spaces around the delimiter");
        if (_item is not null)
            text.Append(", each item ").Append(_item.Expectation());
        return text.ToString();
    }

    private static string OneOf(byte[][] values) => values.Length switch
    {
        1 => Encoding.UTF8.GetString(values[0]),
        2 => $"{Encoding.UTF8.GetString(values[0])} or {Encoding.UTF8.GetString(values[1])}",
        _ => $"one of {string.Join(", ", values.Select(v => Encoding.UTF8.GetString(v)))}",
    };

    private string Lengths(string unit) => (_minLength, _maxLength) switch
    {
        (null, null) => "",
        ({ } min, { } max) when min == max => $" of exactly {min} {unit}",
        ({ } min, { } max) => $" of {min} to {max} {unit}",
        ({ } min, null) => $" of at least {min} {unit}",
        (null, { } max) => $" of at most {max} {unit}",
    };

    private string Range()
    {
        if (_lower is { Inclusive: true } low && _upper is { Inclusive: true } high)
            return $" from {Encoding.UTF8.GetString(low.Text)} to {Encoding.UTF8.GetString(high.Text)}";
        var lower = _lower is null ? null : (_lower.Inclusive ? "at least " : "above ") + Encoding.UTF8.GetString(_lower.Text);
        var upper = _upper is null ? null : (_upper.Inclusive ? "at most " : "below ") + Encoding.UTF8.GetString(_upper.Text);
        return (lower, upper) switch
        {
            (null, null) => "",
            (_, null) => " " + lower,
            (null, _) => " " + upper,
            _ => $" {lower} and {upper}",
        };
    }

    /// <summary>The pattern as the contract wrote it, without the anchors added around it.</summary>
    private static string PatternText(System.Text.RegularExpressions.Regex regex)
    {
        var text = regex.ToString();
        return text.Length >= 8 ? text[5..^3] : text; // \A(?: ... )\z
    }
}
