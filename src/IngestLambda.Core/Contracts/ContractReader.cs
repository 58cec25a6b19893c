using System.Text.Json;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Contracts;

/// <summary>
/// Reads one contract file (docs/contracts.md "Dataset contracts"): a Data Package v2 tabular resource without <c>path</c>, whose
/// <c>dialect</c> is a Table Dialect and whose <c>schema</c> is a Table Schema, plus the <c>x-ingest-</c> properties.
/// Every problem is collected with where it is, so one run names them all; a property this validator does not
/// support is a problem, never silently ignored. This file reads the resource and its dialect; ContractReader.Fields.cs
/// the schema and its fields; ContractReader.Values.cs constraint values.
/// </summary>
internal sealed partial class ContractReader
{
    /// <summary>The prefix of this project's own properties; any other <c>x-</c> property belongs to another tool and is ignored.</summary>
    public const string Prefix = "x-ingest-";

    private static readonly HashSet<string> InformationalResourceProperties =
        ["$schema", "title", "description", "homepage", "sources", "licenses", "keywords", "path", "bytes", "hash", "mediatype"];

    private readonly string _file;
    private readonly List<ContractProblem> _problems = [];

    private ContractReader(string file) => _file = file;

    /// <summary>Reads a contract; the dataset is null when a problem makes it unusable, and the problems say why.</summary>
    public static (DatasetSchema? Dataset, IReadOnlyList<ContractProblem> Problems) Read(string json, string file)
    {
        var reader = new ContractReader(file);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            return (null, [new ContractProblem(file, "", $"is not valid JSON: {e.Message}")]);
        }
        using (document)
        {
            var dataset = reader.ReadResource(document.RootElement);
            return (reader._problems.Count == 0 ? dataset : null, reader._problems);
        }
    }

    private void Problem(string where, string problem) => _problems.Add(new ContractProblem(_file, where, problem));

    private DatasetSchema? ReadResource(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Problem("", "must be a JSON object (a tabular data resource)");
            return null;
        }
        string? name = null;
        string? landingPrefix = null;
        var dialect = new CsvDialect();
        JsonElement? schema = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "name": name = DatasetName(value); break;
                case "type": ExpectText(value, "type", "table"); break;
                case "format": ExpectText(value, "format", "csv"); break;
                case "encoding": ExpectEncoding(value); break;
                case "dialect": dialect = ReadDialect(value) ?? dialect; break;
                case "schema": schema = value; break;
                case "data": Problem("data", "a contract describes files that land; inline data is not supported"); break;
                case Prefix + "landingPrefix": landingPrefix = LandingPrefix(value); break;
                default: UnknownProperty(property.Name, "", InformationalResourceProperties); break;
            }
        }
        if (name is null && !root.TryGetProperty("name", out _))
            Problem("name", "is missing: every contract names its dataset (the raw-zone folder, e.g. \"Movies\")");
        if (schema is null)
        {
            Problem("schema", "is missing: a contract needs a Table Schema with its fields");
            return null;
        }
        var (columns, primaryKey) = ReadSchema(schema.Value, dialect);
        if (name is null || columns is null)
            return null;
        return new DatasetSchema
        {
            Name = name,
            Columns = columns,
            Dialect = dialect,
            LandingPrefix = landingPrefix,
            PrimaryKey = primaryKey,
            Source = _file,
        };
    }

    /// <summary>A property no rule here reads: informational ones and other tools' <c>x-</c> ones pass, anything else is named.</summary>
    private void UnknownProperty(string name, string where, HashSet<string> informational)
    {
        var at = where.Length == 0 ? name : $"{where}.{name}";
        if (name.StartsWith(Prefix, StringComparison.Ordinal))
            Problem(at, $"is not an {Prefix} property this validator knows (docs/contracts.md, \"Dataset contracts\", lists them)");
        else if (!informational.Contains(name) && !name.StartsWith("x-", StringComparison.Ordinal))
            Problem(at, "is not a property this validator supports; a misspelt rule would be silently lost, so it is refused");
    }

    private string? DatasetName(JsonElement value)
    {
        var name = Text(value, "name");
        if (name is null)
            return null;
        // The name is a folder of every lake key (Raw/Local/CSV/<name>/...) and a Glue table name.
        if (name.Length is 0 or > 64 || !char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            Problem("name", $"'{name}' must be 1 to 64 ASCII letters, digits, '_' or '-', starting with a letter (it names the dataset's lake folder)");
            return null;
        }
        return name;
    }

    private string? LandingPrefix(JsonElement value)
    {
        var prefix = Text(value, Prefix + "landingPrefix");
        if (prefix is null)
            return null;
        if (prefix.Length == 0 || !prefix.EndsWith('/') || prefix.StartsWith('/') || prefix.Contains("//", StringComparison.Ordinal)
            || prefix.Split('/').Any(part => part is "." or ".."))
        {
            Problem(Prefix + "landingPrefix", $"'{prefix}' must be a folder below the landing prefix like 'ratings/': ending with '/', not starting with '/', without '//', '.' or '..'");
            return null;
        }
        return prefix;
    }

    private void ExpectText(JsonElement value, string where, string expected)
    {
        if (Text(value, where) is { } text && !string.Equals(text, expected, StringComparison.OrdinalIgnoreCase))
            Problem(where, $"is '{text}'; only '{expected}' is supported");
    }

    private void ExpectEncoding(JsonElement value)
    {
        if (Text(value, "encoding") is { } text && !text.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !text.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            Problem("encoding", $"is '{text}'; files are validated as UTF-8, so only 'utf-8' is supported");
    }

    private static readonly HashSet<string> IgnoredDialectProperties =
        ["$schema", "headerJoin", "property", "itemType", "itemKeys", "sheetNumber", "sheetName", "table"]; // not for delimited text

    /// <summary>The Table Dialect: delimiter, quoting, header. What CSV parsing here cannot honour is a problem.</summary>
    private CsvDialect? ReadDialect(JsonElement value)
    {
        if (!Object(value, "dialect"))
            return null;
        char delimiter = ',', quote = '"';
        bool doubleQuote = true, noQuoting = false, quotingSet = false;
        foreach (var property in value.EnumerateObject())
        {
            var where = "dialect." + property.Name;
            var v = property.Value;
            switch (property.Name)
            {
                case "header":
                    if (Boolean(v, where) == false)
                        Problem(where, "must be true: a file's header line names its dataset");
                    break;
                case "headerRows":
                    if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 1 || v[0].ValueKind != JsonValueKind.Number || v[0].GetRawText() != "1")
                        Problem(where, "only [1] is supported: the header is the first line");
                    break;
                case "delimiter": delimiter = OneCharacter(v, where) ?? delimiter; break;
                case "quoteChar": quote = OneCharacter(v, where) ?? quote; quotingSet = true; break;
                case "doubleQuote":
                    quotingSet = true;
                    if (Boolean(v, where) == false)
                        Problem(where, "false is not supported: inside a quoted field a quote is written twice (\"\")");
                    break;
                case "lineTerminator":
                    if (Text(v, where) is { } terminator && terminator is not ("\n" or "\r\n"))
                        Problem(where, "lines end with LF or CRLF; no other terminator is supported");
                    break;
                case "skipInitialSpace":
                    if (Boolean(v, where) == true)
                        Problem(where, "true is not supported: a space after the delimiter is part of the field");
                    break;
                case "commentChar" or "commentRows" or "escapeChar" or "nullSequence":
                    Problem(where, property.Name == "nullSequence"
                        ? "is not supported: declare null spellings in the schema's missingValues"
                        : "is not supported by this validator");
                    break;
                case Prefix + "noQuoting": noQuoting = Boolean(v, where) ?? false; break;
                default: UnknownProperty(property.Name, "dialect", IgnoredDialectProperties); break;
            }
        }
        if (noQuoting && quotingSet)
            Problem("dialect." + Prefix + "noQuoting", "contradicts quoteChar/doubleQuote: a feed without quoting has neither");
        if (!IsSeparatorCharacter(delimiter) || (!noQuoting && delimiter == quote))
            Problem("dialect.delimiter", $"'{delimiter}' cannot separate fields: use a tab or ASCII punctuation other than the quote character");
        if (!noQuoting && !IsSeparatorCharacter(quote))
            Problem("dialect.quoteChar", $"'{quote}' cannot quote fields: use ASCII punctuation");
        return new CsvDialect { Delimiter = delimiter, QuoteChar = noQuoting ? null : quote, DoubleQuote = doubleQuote };
    }

    /// <summary>A tab or ASCII punctuation: never a letter, digit, space or control byte the scanner treats specially.</summary>
    private static bool IsSeparatorCharacter(char c) => c == '\t' || (char.IsAsciiLetterOrDigit(c) is false && c is > ' ' and < (char)0x7F);

    private char? OneCharacter(JsonElement value, string where)
    {
        var text = Text(value, where);
        if (text is null)
            return null;
        if (text.Length != 1 || text[0] > 0x7F)
        {
            Problem(where, $"'{text}' must be exactly one ASCII character");
            return null;
        }
        return text[0];
    }

    private bool Object(JsonElement value, string where)
    {
        if (value.ValueKind == JsonValueKind.Object)
            return true;
        Problem(where, "must be a JSON object");
        return false;
    }

    private string? Text(JsonElement value, string where)
    {
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString();
        Problem(where, "must be a string");
        return null;
    }

    private bool? Boolean(JsonElement value, string where)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        Problem(where, "must be true or false");
        return null;
    }
}
