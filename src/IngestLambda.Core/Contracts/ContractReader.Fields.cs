using System.Text.Json;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Contracts;

// The Table Schema: its fields, missing values and primary key.
internal sealed partial class ContractReader
{
    private static readonly HashSet<string> InformationalSchemaProperties = ["$schema", "title", "description"];
    private static readonly HashSet<string> InformationalFieldProperties = ["title", "description", "example", "rdfType", "categoriesOrdered"];

    private static readonly Dictionary<string, LogicalType> Types = new()
    {
        ["string"] = LogicalType.String, ["any"] = LogicalType.String, ["integer"] = LogicalType.Integer, ["number"] = LogicalType.Number,
        ["year"] = LogicalType.Year, ["date"] = LogicalType.Date, ["boolean"] = LogicalType.Boolean, ["list"] = LogicalType.List,
    };

    private static readonly HashSet<string> UnsupportedTypes = ["object", "array", "datetime", "time", "yearmonth", "duration", "geopoint", "geojson"];

    private (IReadOnlyList<ColumnSchema>? Columns, IReadOnlyList<string> PrimaryKey) ReadSchema(JsonElement schema, CsvDialect dialect)
    {
        if (!Object(schema, "schema"))
            return (null, []);
        JsonElement? fields = null;
        IReadOnlyList<string> missingValues = [""]; // Table Schema's default: an empty field is null
        IReadOnlyList<string> primaryKey = [];
        foreach (var property in schema.EnumerateObject())
        {
            var where = "schema." + property.Name;
            switch (property.Name)
            {
                case "fields": fields = property.Value; break;
                case "missingValues": missingValues = MissingValues(property.Value, where) ?? missingValues; break;
                case "primaryKey": primaryKey = FieldNames(property.Value, where); break;
                case "fieldsMatch": ExpectText(property.Value, where, "exact"); break;
                case "uniqueKeys" or "foreignKeys":
                    Problem(where, "is not supported: files are validated in one pass in bounded memory, without remembering rows");
                    break;
                default: UnknownProperty(property.Name, "schema", InformationalSchemaProperties); break;
            }
        }
        if (fields is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() is 0 or > SchemaCatalog.MaxColumns)
        {
            Problem("schema.fields", $"must be an array of 1 to {SchemaCatalog.MaxColumns} field descriptors");
            return (null, primaryKey);
        }
        var columns = new List<ColumnSchema>();
        var index = 0;
        foreach (var field in list.EnumerateArray())
        {
            if (ReadField(field, $"schema.fields[{index++}]", missingValues, primaryKey, dialect) is { } column)
                columns.Add(column);
        }
        foreach (var twin in columns.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            Problem("schema.fields", $"name '{twin.Key}' is used {twin.Count()} times; each column needs its own");
        foreach (var key in primaryKey.Where(k => columns.All(c => c.Name != k)))
            Problem("schema.primaryKey", $"names '{key}', which is not a field");
        return (columns.Count == index ? columns : null, primaryKey);
    }

    private ColumnSchema? ReadField(JsonElement field, string where, IReadOnlyList<string> schemaMissingValues, IReadOnlyList<string> primaryKey, CsvDialect dialect)
    {
        if (!Object(field, where))
            return null;
        var problemsBefore = _problems.Count;
        var name = field.TryGetProperty("name", out var nameValue) ? Text(nameValue, where + ".name") : null;
        if (name is null)
        {
            if (!field.TryGetProperty("name", out _))
                Problem(where + ".name", "is missing: every field names its header column");
            return null;
        }
        where = $"{where} ({name})";
        if (name.Length == 0 || name.Contains(dialect.Delimiter) || name.AsSpan().ContainsAny('\r', '\n') || (dialect.QuoteChar is { } q && name.Contains(q)))
            Problem(where + ".name", "must be non-empty, without the delimiter, a quote, CR or LF: it is matched against the header line as written");

        var typeName = field.TryGetProperty("type", out var typeValue) ? Text(typeValue, where + ".type") ?? "any" : "any";
        if (!Types.TryGetValue(typeName, out var type))
        {
            Problem(where + ".type", UnsupportedTypes.Contains(typeName)
                ? $"'{typeName}' is not supported; use string, integer, number, year, date, boolean or list"
                : $"'{typeName}' is not a Table Schema type this validator knows (string, integer, number, year, date, boolean, list, any)");
            return null;
        }

        var spec = new FieldSpec(type) { MissingValues = schemaMissingValues };
        foreach (var property in field.EnumerateObject())
            ReadFieldProperty(property, $"{where}.{property.Name}", spec);
        if (_problems.Count != problemsBefore)
            return null;
        return Compile(name, spec, primaryKey.Contains(name), dialect, where);
    }

    /// <summary>What a field declares, gathered before it is compiled into a column.</summary>
    private sealed class FieldSpec(LogicalType type)
    {
        public LogicalType Type { get; } = type;
        public string Format { get; set; } = "default";
        public bool Required { get; set; }
        public FieldConstraints Constraints { get; set; } = FieldConstraints.None;
        public JsonElement? ConstraintsJson { get; set; }
        public JsonElement? ItemConstraintsJson { get; set; }
        public IReadOnlyList<string>? Categories { get; set; }
        public IReadOnlyList<string> MissingValues { get; set; } = [];
        public char DecimalChar { get; set; } = '.';
        public IReadOnlyList<string>? TrueValues { get; set; }
        public IReadOnlyList<string>? FalseValues { get; set; }
        public string ListDelimiter { get; set; } = ",";
        public LogicalType ItemType { get; set; } = LogicalType.String;
        public bool NoSpaces { get; set; }
        public string? LexicalPattern { get; set; }
    }

    private void ReadFieldProperty(JsonProperty property, string where, FieldSpec spec)
    {
        var v = property.Value;
        switch (property.Name)
        {
            case "name" or "type": break;
            case "format": spec.Format = Text(v, where) ?? spec.Format; break;
            case "constraints": spec.ConstraintsJson = Object(v, where) ? v : null; break;
            case "missingValues": spec.MissingValues = MissingValues(v, where) ?? spec.MissingValues; break;
            case "categories" when OnlyFor(where, spec, LogicalType.String, LogicalType.Integer): spec.Categories = Categories(v, where); break;
            case "decimalChar" when OnlyFor(where, spec, LogicalType.Number): spec.DecimalChar = OneCharacter(v, where) ?? '.'; break;
            case "groupChar" when OnlyFor(where, spec, LogicalType.Number, LogicalType.Integer):
                Problem(where, "is not supported: numbers are written without grouping");
                break;
            case "bareNumber" when OnlyFor(where, spec, LogicalType.Number, LogicalType.Integer):
                if (Boolean(v, where) == false)
                    Problem(where, "false is not supported: numbers are written bare");
                break;
            case "trueValues" when OnlyFor(where, spec, LogicalType.Boolean): spec.TrueValues = Strings(v, where); break;
            case "falseValues" when OnlyFor(where, spec, LogicalType.Boolean): spec.FalseValues = Strings(v, where); break;
            case "delimiter" when OnlyFor(where, spec, LogicalType.List):
                if (Text(v, where) is { Length: > 0 } delimiter)
                    spec.ListDelimiter = delimiter;
                else if (v.ValueKind == JsonValueKind.String)
                    Problem(where, "must not be empty");
                break;
            case "itemType" when OnlyFor(where, spec, LogicalType.List):
                if (Text(v, where) is { } itemType)
                {
                    if (itemType is "string" or "integer" or "number" or "boolean" or "date")
                        spec.ItemType = Types[itemType];
                    else
                        Problem(where, $"'{itemType}' is not supported; list items may be string, integer, number, boolean or date");
                }
                break;
            case Prefix + "itemConstraints" when OnlyFor(where, spec, LogicalType.List): spec.ItemConstraintsJson = Object(v, where) ? v : null; break;
            case Prefix + "noSpacesAroundDelimiter" when OnlyFor(where, spec, LogicalType.List): spec.NoSpaces = Boolean(v, where) ?? false; break;
            case Prefix + "lexicalPattern":
                if (Text(v, where) is { } lexical && !FastRules.IsFastPattern(lexical) && !PatternSyntax.TryCompile(lexical, out _, out var problem))
                    Problem(where, problem!);
                spec.LexicalPattern = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                break;
            case "categories" or "decimalChar" or "groupChar" or "bareNumber" or "trueValues" or "falseValues" or "delimiter" or "itemType"
                or Prefix + "itemConstraints" or Prefix + "noSpacesAroundDelimiter":
                break; // on the wrong type: OnlyFor named it
            default: UnknownProperty(property.Name, where[..where.LastIndexOf('.')], InformationalFieldProperties); break;
        }
    }

    /// <summary>Whether the property applies to the field's type; names the mismatch when not.</summary>
    private bool OnlyFor(string where, FieldSpec spec, params LogicalType[] types)
    {
        if (types.Contains(spec.Type))
            return true;
        Problem(where, $"applies only to {string.Join(" or ", types.Select(t => t.ToString().ToLowerInvariant()))} fields");
        return false;
    }

    private List<string>? MissingValues(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            Problem(where, "must be an array of strings, or of objects with a 'value'");
            return null;
        }
        var values = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("value", out var inner) ? inner : item;
            if (text.ValueKind != JsonValueKind.String)
            {
                Problem(where, "must be an array of strings, or of objects with a string 'value'");
                return null;
            }
            values.Add(text.GetString()!);
        }
        if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
            Problem(where, "lists a value twice");
        return values;
    }

    private IReadOnlyList<string> FieldNames(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.String ? [value.GetString()!] : Strings(value, where) ?? [];

    private IReadOnlyList<string>? Strings(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            Problem(where, "must be an array of strings");
            return null;
        }
        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private IReadOnlyList<string>? Categories(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            Problem(where, "must be a non-empty array of values, or of objects with a 'value'");
            return null;
        }
        return [.. value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Object && v.TryGetProperty("value", out var inner) ? inner : v)
            .Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())];
    }
}
