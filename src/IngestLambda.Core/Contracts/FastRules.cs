using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Contracts;

/// <summary>
/// Gives a column the fast check its declared type and constraints amount to (<see cref="ColumnRule"/>), so the IMDB
/// feeds keep their speed while their contracts say everything in standard terms: a string matching <c>tt[0-9]{7,}</c>
/// is an id, a number from 0 to 10 written <c>[0-9]{1,2}\.[0-9]+</c> a rating. Each fast check gives the verdicts of
/// the generic rule it replaces (tests compare the two); anything else keeps <see cref="ColumnRule.Generic"/>.
/// </summary>
internal static class FastRules
{
    private static readonly string[] IdPatterns = ["tt[0-9]{7,}", "^tt[0-9]{7,}$"];
    private static readonly string[] RatingPatterns = [@"[0-9]{1,2}\.[0-9]+", @"^[0-9]{1,2}\.[0-9]+$"];

    /// <summary>
    /// Whether <paramref name="pattern"/> is one a fast rule stands for: valid by construction, so reading a contract
    /// need not build a regular expression for it (that costs most of start-up's contract reading).
    /// </summary>
    public static bool IsFastPattern(string pattern) => IdPatterns.Contains(pattern) || RatingPatterns.Contains(pattern);

    public static ColumnSchema Recognise(ColumnSchema column)
    {
        var c = column.Constraints;
        var atMostNonEmpty = c.MaxLength is null && c.MinLength is null or 1; // on a non-empty pattern or enum, minLength 1 adds nothing
        if (column.LexicalPattern is not null && !(column.Type == LogicalType.Number && RatingPatterns.Contains(column.LexicalPattern)))
            return column;
        return column.Type switch
        {
            LogicalType.String when c.IsEmpty => column with { Rule = ColumnRule.Text, AllowEmpty = true },
            LogicalType.String when c is { MinLength: 1, MaxLength: null, Pattern: null, Enum: null } =>
                column with { Rule = ColumnRule.Text, AllowEmpty = false },
            LogicalType.String when atMostNonEmpty && c.Enum is null && c.Pattern is { } pattern && IdPatterns.Contains(pattern) =>
                column with { Rule = ColumnRule.Id },
            LogicalType.String when atMostNonEmpty && c.Pattern is null && c.Enum is { Count: > 0 } values && values.All(v => v.Length > 0) =>
                column with { Rule = ColumnRule.Enum, Values = values },
            LogicalType.Year when c.IsEmpty => column with { Rule = ColumnRule.Year },
            LogicalType.Integer when c is { Minimum: "0", Maximum: null, ExclusiveMinimum: null, ExclusiveMaximum: null, Enum: null } =>
                column with { Rule = ColumnRule.WholeNumber },
            LogicalType.Number when column.LexicalPattern is not null && column.DecimalChar == '.'
                && c is { Minimum: "0", Maximum: "10", ExclusiveMinimum: null, ExclusiveMaximum: null, Enum: null } =>
                column with { Rule = ColumnRule.Rating },
            LogicalType.List when IsCommaStringList(column) && column.ItemConstraints is { MinLength: 1, MaxLength: null, Pattern: null, Enum: null } =>
                column with { Rule = ColumnRule.List },
            LogicalType.List when IsCommaStringList(column) && column.ItemConstraints is { MaxLength: null, Enum: null, MinLength: null or 1, Pattern: { } itemPattern }
                && IdPatterns.Contains(itemPattern) =>
                column with { Rule = ColumnRule.IdList },
            _ => column,
        };
    }

    private static bool IsCommaStringList(ColumnSchema column) =>
        column.ListDelimiter == "," && (column.ItemType is null or LogicalType.String) && column.Constraints.IsEmpty;
}
