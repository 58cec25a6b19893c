using System.Globalization;
using System.Text;
using System.Text.Json;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Contracts.Inference;

/// <summary>Writes a drafted contract (<see cref="ContractInference"/>) in the contract format, for a person to review.</summary>
internal static class ContractWriter
{
    public static string Write(string name, CsvDialect dialect, IReadOnlyList<ColumnProfile> columns, long rows)
    {
        var nulls = MissingValues(columns);
        using var output = new MemoryStream();
        // Relaxed escaping: names and quote characters stay readable ("\"" rather than "\u0022") in a file people review.
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("title", name);
            json.WriteString("description", $"Drafted by bootstrap contract infer from a sample of {rows.ToString(CultureInfo.InvariantCulture)} rows: review every rule before committing.");
            json.WriteString("type", "table");
            json.WriteString("format", "csv");
            json.WriteString("encoding", "utf-8");
            json.WriteStartObject("dialect");
            json.WriteString("$schema", "https://datapackage.org/profiles/2.0/tabledialect.json");
            json.WriteBoolean("header", true);
            json.WriteString("delimiter", dialect.Delimiter.ToString());
            if (dialect.QuoteChar is { } quote)
                json.WriteString("quoteChar", quote.ToString());
            else
                json.WriteBoolean(ContractReader.Prefix + "noQuoting", true);
            json.WriteEndObject();
            json.WriteStartObject("schema");
            json.WriteString("$schema", "https://datapackage.org/profiles/2.0/tableschema.json");
            json.WriteStartArray("missingValues");
            foreach (var value in nulls)
                json.WriteStringValue(value);
            json.WriteEndArray();
            json.WriteStartArray("fields");
            foreach (var column in columns)
                WriteField(json, column, nulls);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>The null spellings the sample used; an empty field counts only where it stood in a column that is not text.</summary>
    private static List<string> MissingValues(IReadOnlyList<ColumnProfile> columns)
    {
        var nulls = new List<string>();
        for (var k = 0; k < ColumnProfile.NullCandidates.Length; k++)
        {
            var candidate = ColumnProfile.NullCandidates[k];
            var used = columns.Any(c => c.NullCount(k) > 0 && (candidate.Length > 0 || c.Type is not (LogicalType.String or LogicalType.List)));
            if (used)
                nulls.Add(candidate);
        }
        return nulls;
    }

    private static void WriteField(Utf8JsonWriter json, ColumnProfile column, List<string> nulls)
    {
        var type = column.Type;
        json.WriteStartObject();
        json.WriteString("name", column.Name);
        json.WriteString("type", type.ToString().ToLowerInvariant());
        if (type == LogicalType.List)
        {
            json.WriteString("delimiter", ",");
            json.WriteString("itemType", column.ItemType.ToString().ToLowerInvariant());
        }

        var required = Enumerable.Range(0, ColumnProfile.NullCandidates.Length).All(k => column.NullCount(k) == 0 || !nulls.Contains(ColumnProfile.NullCandidates[k]));
        var emptyText = !nulls.Contains("") && column.NullCount(Array.IndexOf(ColumnProfile.NullCandidates, "")) > 0;
        var (minimum, maximum) = column.Range;
        var bounded = type is LogicalType.Integer or LogicalType.Number or LogicalType.Year or LogicalType.Date && minimum is not null;
        var enumValues = type == LogicalType.String ? column.EnumValues : null;
        var nonEmpty = type == LogicalType.String && !emptyText && enumValues is null && column.Values > 0;
        if (required || nonEmpty || bounded || enumValues is not null)
        {
            json.WriteStartObject("constraints");
            if (required)
                json.WriteBoolean("required", true);
            if (nonEmpty)
                json.WriteNumber("minLength", 1);
            if (bounded)
            {
                WriteBound(json, "minimum", minimum!, type);
                WriteBound(json, "maximum", maximum!, type);
            }
            if (enumValues is not null)
            {
                json.WriteStartArray("enum");
                foreach (var value in enumValues)
                    json.WriteStringValue(value);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }

        if (type == LogicalType.List)
        {
            if (!column.EmptyItems)
            {
                json.WriteStartObject(ContractReader.Prefix + "itemConstraints");
                json.WriteNumber("minLength", 1);
                json.WriteEndObject();
            }
            if (!column.SpacedItems)
                json.WriteBoolean(ContractReader.Prefix + "noSpacesAroundDelimiter", true);
        }
        json.WriteEndObject();
    }

    /// <summary>A bound as a JSON number where one can hold it, else as the text the contract reader casts.</summary>
    private static void WriteBound(Utf8JsonWriter json, string name, string value, LogicalType type)
    {
        if (type != LogicalType.Date && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            json.WriteNumber(name, number);
        else
            json.WriteString(name, value);
    }
}
