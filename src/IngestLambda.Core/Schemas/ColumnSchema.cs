namespace IngestLambda.Core.Schemas;

/// <summary>
/// A column's logical type, as its contract declares it (Table Schema's <c>type</c>; docs/contracts.md "Dataset contracts"). This is
/// what typed consumers follow: Glue, DuckDB and Parquet column types.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Table Schema's own type names.")]
public enum LogicalType
{
    /// <summary>Text (Table Schema <c>string</c>, and <c>any</c>).</summary>
    String,
    /// <summary>A whole number of any length, optionally negative.</summary>
    Integer,
    /// <summary>A decimal number, with an optional exponent.</summary>
    Number,
    /// <summary>A 4-digit calendar year.</summary>
    Year,
    /// <summary>A calendar date.</summary>
    Date,
    /// <summary>True or false, spelled as the contract's <c>trueValues</c> / <c>falseValues</c>.</summary>
    Boolean,
    /// <summary>Items of <see cref="ColumnSchema.ItemType"/> separated by <see cref="ColumnSchema.ListDelimiter"/>; stays text downstream.</summary>
    List,
}

/// <summary>
/// How the validator checks a column. Contracts describe columns in standard terms (type and constraints); where those
/// amount to one of the fast checks below, the column gets it, and otherwise <see cref="Generic"/>, which judges the
/// type and every constraint as declared.
/// </summary>
public enum ColumnRule
{
    /// <summary>Any valid UTF-8 text without the delimiter, CR, LF or NUL; non-empty unless AllowEmpty.</summary>
    Text,
    /// <summary><c>tt</c> followed by 7 or more digits.</summary>
    Id,
    /// <summary>Exactly 4 digits.</summary>
    Year,
    /// <summary>A non-negative integer: digits only.</summary>
    WholeNumber,
    /// <summary>A decimal with a dot (1 or 2 digits before it) from 0.0 to 10.0.</summary>
    Rating,
    /// <summary>Comma-separated non-empty items.</summary>
    List,
    /// <summary>Comma-separated ids.</summary>
    IdList,
    /// <summary>One of a fixed set of non-empty values.</summary>
    Enum,
    /// <summary>The column's type and constraints, judged as declared (<see cref="ColumnSchema.Constraints"/>).</summary>
    Generic,
}

/// <summary>
/// Value constraints of a column or of each list item (Table Schema <c>constraints</c>). Bounds are kept as the
/// contract wrote them, in the column's type (a number, a year, a <c>yyyy-mm-dd</c> date); null means absent.
/// </summary>
public sealed record FieldConstraints
{
    /// <summary>Fewest characters (text) or items (list).</summary>
    public int? MinLength { get; init; }
    /// <summary>Most characters (text) or items (list).</summary>
    public int? MaxLength { get; init; }
    public string? Minimum { get; init; }
    public string? Maximum { get; init; }
    public string? ExclusiveMinimum { get; init; }
    public string? ExclusiveMaximum { get; init; }
    /// <summary>A regular expression the whole text value must match (text only).</summary>
    public string? Pattern { get; init; }
    /// <summary>The only values allowed, compared as the column's type.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    public static FieldConstraints None { get; } = new();

    /// <summary>Whether no constraint is set.</summary>
    public bool IsEmpty => this == None;
}

/// <summary>One column of a dataset, compiled from its contract field.</summary>
public sealed record ColumnSchema
{
    private LogicalType? _type;

    public required string Name { get; init; }
    public required ColumnRule Rule { get; init; }

    /// <summary>The declared type; defaults to what <see cref="Rule"/> implies.</summary>
    public LogicalType Type
    {
        get => _type ?? Rule switch
        {
            ColumnRule.Year => LogicalType.Year,
            ColumnRule.WholeNumber => LogicalType.Integer,
            ColumnRule.Rating => LogicalType.Number,
            ColumnRule.List or ColumnRule.IdList => LogicalType.List,
            _ => LogicalType.String,
        };
        init => _type = value;
    }

    /// <summary>For lists: the type of each item.</summary>
    public LogicalType? ItemType { get; init; }

    /// <summary>For lists: what separates items.</summary>
    public string ListDelimiter { get; init; } = ",";

    /// <summary>Whether a missing value (null) is allowed: the contract's <c>required</c> is its opposite.</summary>
    public bool Nullable { get; init; }

    /// <summary>The texts that mean null (Table Schema <c>missingValues</c>).</summary>
    public IReadOnlyList<string> MissingValues { get; init; } = [@"\N"];

    /// <summary>For <see cref="ColumnRule.Text"/>: whether an empty field is allowed.</summary>
    public bool AllowEmpty { get; init; }

    /// <summary>For lists: no item may begin or end with a space, so no space beside a delimiter or at either end.</summary>
    public bool NoSpacesAroundCommas { get; init; }

    /// <summary>For <see cref="ColumnRule.Enum"/>: the allowed values.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>The column's constraints (for <see cref="ColumnRule.Generic"/>; the fast rules have theirs built in).</summary>
    public FieldConstraints Constraints { get; init; } = FieldConstraints.None;

    /// <summary>For lists: the constraints each item must meet.</summary>
    public FieldConstraints ItemConstraints { get; init; } = FieldConstraints.None;

    /// <summary>A regular expression the whole text must match before it is read as its type.</summary>
    public string? LexicalPattern { get; init; }

    /// <summary>For dates: the contract's <c>format</c> (<c>default</c> is <c>yyyy-mm-dd</c>).</summary>
    public string DateFormat { get; init; } = "default";

    /// <summary>For numbers: the decimal separator.</summary>
    public char DecimalChar { get; init; } = '.';

    /// <summary>For booleans: the texts read as true.</summary>
    public IReadOnlyList<string> TrueValues { get; init; } = DefaultTrueValues;

    /// <summary>For booleans: the texts read as false.</summary>
    public IReadOnlyList<string> FalseValues { get; init; } = DefaultFalseValues;

    /// <summary>Table Schema's default spellings of true.</summary>
    public static IReadOnlyList<string> DefaultTrueValues { get; } = ["true", "True", "TRUE", "1"];

    /// <summary>Table Schema's default spellings of false.</summary>
    public static IReadOnlyList<string> DefaultFalseValues { get; } = ["false", "False", "FALSE", "0"];
}
