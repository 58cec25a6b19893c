using System.Text;
using System.Text.Json;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Contracts;

// Constraints and the values in them (bounds, enums), checked against the field's type; then the compiled column.
internal sealed partial class ContractReader
{
    private ColumnSchema? Compile(string name, FieldSpec spec, bool inPrimaryKey, CsvDialect dialect, string where)
    {
        var problemsBefore = _problems.Count;
        var dateFormat = DateFormat.Default;
        if (spec.Type == LogicalType.Date)
        {
            dateFormat = DateFormat.Parse(spec.Format, out var problem)!;
            if (problem is not null)
                Problem(where + ".format", problem);
        }
        else if (spec.Format != "default")
        {
            Problem(where + ".format", $"'{spec.Format}' is not supported for a {spec.Type.ToString().ToLowerInvariant()} field; only 'default'");
        }
        if (spec.Type == LogicalType.List && dialect.QuoteChar is null && spec.ListDelimiter.Contains(dialect.Delimiter))
            Problem(where + ".delimiter", "contains the dialect's delimiter, which cannot occur inside a field of an unquoted file");

        var constraints = spec.ConstraintsJson is { } c ? ReadConstraints(c, where + ".constraints", spec.Type, dateFormat, isItem: false, spec) : FieldConstraints.None;
        if (spec.Categories is { } categories)
        {
            foreach (var category in categories)
                CheckValue(category, spec.Type, dateFormat, '.', where + ".categories");
            constraints = constraints with { Enum = constraints.Enum ?? categories }; // an enum, where given, narrows the categories
        }
        var itemConstraints = spec.ItemConstraintsJson is { } ic
            ? ReadConstraints(ic, $"{where}.{Prefix}itemConstraints", spec.ItemType, DateFormat.Default, isItem: true, spec)
            : FieldConstraints.None;
        if (_problems.Count != problemsBefore)
            return null;

        var column = new ColumnSchema
        {
            Name = name,
            Rule = ColumnRule.Generic,
            Type = spec.Type,
            ItemType = spec.Type == LogicalType.List ? spec.ItemType : null,
            ListDelimiter = spec.ListDelimiter,
            Nullable = !(spec.Required || inPrimaryKey),
            MissingValues = spec.MissingValues,
            Constraints = constraints,
            ItemConstraints = itemConstraints,
            NoSpacesAroundCommas = spec.NoSpaces,
            LexicalPattern = spec.LexicalPattern,
            DateFormat = spec.Type == LogicalType.Date ? spec.Format : "default",
            DecimalChar = spec.DecimalChar,
            TrueValues = spec.TrueValues ?? ColumnSchema.DefaultTrueValues,
            FalseValues = spec.FalseValues ?? ColumnSchema.DefaultFalseValues,
        };
        return FastRules.Recognise(column);
    }

    private static readonly HashSet<string> ConstraintNames =
        ["required", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "pattern", "enum"];

    /// <summary>Bounds and enum values are logical values, written with '.' whatever the file's decimalChar.</summary>
    private FieldConstraints ReadConstraints(JsonElement constraints, string where, LogicalType type, DateFormat dateFormat, bool isItem, FieldSpec spec)
    {
        var result = FieldConstraints.None;
        foreach (var property in constraints.EnumerateObject())
        {
            var at = $"{where}.{property.Name}";
            var v = property.Value;
            if (!ConstraintNames.Contains(property.Name))
            {
                Problem(at, property.Name is "unique" or "jsonSchema"
                    ? "is not supported: files are validated in one pass in bounded memory, without remembering rows"
                    : $"is not a Table Schema constraint ({string.Join(", ", ConstraintNames)})");
                continue;
            }
            switch (property.Name)
            {
                case "required" when isItem: Problem(at, "does not apply to list items: an item is never null"); break;
                case "required": spec.Required = Boolean(v, at) ?? false; break;
                case "minLength" or "maxLength" when type is LogicalType.String || (type is LogicalType.List && !isItem):
                    var length = Count(v, at);
                    result = property.Name == "minLength" ? result with { MinLength = length } : result with { MaxLength = length };
                    break;
                case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum"
                    when type is LogicalType.Integer or LogicalType.Number or LogicalType.Year or LogicalType.Date:
                    var bound = CheckValue(BoundText(v), type, dateFormat, '.', at);
                    result = property.Name switch
                    {
                        "minimum" => result with { Minimum = bound },
                        "maximum" => result with { Maximum = bound },
                        "exclusiveMinimum" => result with { ExclusiveMinimum = bound },
                        _ => result with { ExclusiveMaximum = bound },
                    };
                    break;
                case "pattern" when type is LogicalType.String:
                    if (Text(v, at) is not { } pattern)
                        break;
                    if (FastRules.IsFastPattern(pattern) || PatternSyntax.TryCompile(pattern, out _, out var problem))
                        result = result with { Pattern = pattern };
                    else
                        Problem(at, problem!);
                    break;
                case "enum" when type is not (LogicalType.List or LogicalType.Boolean):
                    if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
                        Problem(at, "must be a non-empty array of allowed values");
                    else
                        result = result with { Enum = [.. v.EnumerateArray().Select(e => CheckValue(BoundText(e), type, dateFormat, '.', at) ?? "")] };
                    break;
                default:
                    Problem(at, $"does not apply to a {type.ToString().ToLowerInvariant()}{(isItem ? " item" : " field")}");
                    break;
            }
        }
        if (result.Minimum is not null && result.ExclusiveMinimum is not null)
            Problem(where, "has both minimum and exclusiveMinimum; keep one");
        if (result.Maximum is not null && result.ExclusiveMaximum is not null)
            Problem(where, "has both maximum and exclusiveMaximum; keep one");
        if (result is { MinLength: { } min, MaxLength: { } max } && min > max)
            Problem(where, $"minLength {min} is above maxLength {max}");
        return result;
    }

    /// <summary>A constraint value as text: a JSON string as is, a number or boolean as written.</summary>
    private static string BoundText(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private int? Count(JsonElement value, string where)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0)
            return count;
        Problem(where, "must be a whole number, 0 or more");
        return null;
    }

    /// <summary>The value when it is one of <paramref name="type"/>; otherwise names the problem and returns null.</summary>
    private string? CheckValue(string text, LogicalType type, DateFormat dateFormat, char decimalChar, string where)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var valid = type switch
        {
            LogicalType.Integer => DecimalText.TryParseInteger(bytes, out _),
            LogicalType.Year => DecimalText.TryParseInteger(bytes, out _),
            LogicalType.Number => DecimalText.TryParseNumber(bytes, (byte)decimalChar, out var n) && !n.IsNaN,
            LogicalType.Date => dateFormat.TryParse(bytes, out _) || DateFormat.Default.TryParse(bytes, out _),
            _ => true,
        };
        if (valid)
            return text;
        Problem(where, $"'{text}' is not a valid {type.ToString().ToLowerInvariant()}");
        return null;
    }
}
