using System.Text;
using System.Text.Json;
using IngestLambda.Core.Validation;
using System.Text.Json.Serialization;

namespace IngestLambda.Core.Schemas;

/// <summary>The kinds of value a column may hold (docs/contracts.md "Column rules").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColumnRule>))]
public enum ColumnRule
{
    /// <summary>Any valid UTF-8 text without '|', CR, LF or NUL; non-empty unless AllowEmpty.</summary>
    [JsonStringEnumMemberName("text")] Text,
    /// <summary><c>tt</c> followed by 7 or more digits.</summary>
    [JsonStringEnumMemberName("id")] Id,
    /// <summary>Exactly 4 digits.</summary>
    [JsonStringEnumMemberName("year")] Year,
    /// <summary>A non-negative integer.</summary>
    [JsonStringEnumMemberName("integer")] WholeNumber,
    /// <summary>A decimal with a dot from 0.0 to 10.0.</summary>
    [JsonStringEnumMemberName("rating")] Rating,
    /// <summary>Comma-separated non-empty names.</summary>
    [JsonStringEnumMemberName("list")] List,
    /// <summary>Comma-separated ids.</summary>
    [JsonStringEnumMemberName("idList")] IdList,
    /// <summary>One of a fixed set of values.</summary>
    [JsonStringEnumMemberName("enum")] Enum,
}

/// <summary>One column of a dataset, as declared in <c>schemas.json</c>.</summary>
public sealed record ColumnSchema
{
    public required string Name { get; init; }
    public required ColumnRule Rule { get; init; }

    /// <summary>Whether <c>\N</c> (null) is allowed.</summary>
    public bool Nullable { get; init; }

    /// <summary>For <see cref="ColumnRule.Text"/>: whether an empty field is allowed.</summary>
    public bool AllowEmpty { get; init; }

    /// <summary>For <see cref="ColumnRule.List"/>: no space may stand next to a comma or at either end.</summary>
    public bool NoSpacesAroundCommas { get; init; }

    /// <summary>For <see cref="ColumnRule.Enum"/>: the allowed values.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>The type of the column's values, which every engine's column type derives from (<see cref="ColumnTypes"/>).</summary>
    [JsonIgnore]
    public LogicalType Type => ColumnTypes.Of(Rule);
}

/// <summary>A dataset: its name (the raw-zone folder) and its exact header.</summary>
public sealed record DatasetSchema
{
    public required string Name { get; init; }
    public required IReadOnlyList<ColumnSchema> Columns { get; init; }

    /// <summary>The header line this dataset is recognised by.</summary>
    public string Header => string.Join('|', Columns.Select(c => c.Name));

    private byte[]? _headerBytes;
    private CompiledColumn[]? _compiledColumns;

    internal ReadOnlySpan<byte> HeaderBytes => _headerBytes ??= Encoding.UTF8.GetBytes(Header);

    /// <summary>The rules, compiled once per schema rather than once per file.</summary>
    internal CompiledColumn[] CompiledColumns => _compiledColumns ??= [.. Columns.Select(c => new CompiledColumn(c))];
}

/// <summary>The known datasets. A new dataset is a new entry in schemas.json, not new parser code.</summary>
public sealed class SchemaCatalog
{
    public SchemaCatalog(IReadOnlyList<DatasetSchema> datasets)
    {
        if (datasets.Count == 0)
            throw new InvalidDataException("A schema catalog needs at least one dataset.");
        foreach (var dataset in datasets)
        {
            if (dataset.Columns is not { Count: > 0 and <= MaxColumns })
                throw new InvalidDataException($"Dataset '{dataset.Name}' must have 1 to {MaxColumns} columns.");
            _ = dataset.CompiledColumns; // rejects a bad rule now, not on the first file
        }
        var twin = datasets.GroupBy(d => d.Header).FirstOrDefault(g => g.Count() > 1);
        if (twin is not null)
            throw new InvalidDataException($"Datasets {string.Join(" and ", twin.Select(d => d.Name))} have the same header.");
        Datasets = datasets;
    }

    /// <summary>The validator tracks the fields of a line in a 64-bit mask.</summary>
    public const int MaxColumns = 64;

    public IReadOnlyList<DatasetSchema> Datasets { get; }

    public static SchemaCatalog BuiltIn { get; } = LoadEmbedded();

    public static SchemaCatalog Parse(string json)
    {
        var file = JsonSerializer.Deserialize(json, SchemaJsonContext.Default.SchemaFile)
                   ?? throw new InvalidDataException("The schema file is empty.");
        return new SchemaCatalog(file.Datasets);
    }

    private static SchemaCatalog LoadEmbedded()
    {
        using var stream = typeof(SchemaCatalog).Assembly.GetManifestResourceStream("IngestLambda.Core.Schemas.schemas.json")
                           ?? throw new InvalidOperationException("The embedded schemas.json is missing from the build.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}

internal sealed record SchemaFile(IReadOnlyList<DatasetSchema> Datasets);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(SchemaFile))]
internal sealed partial class SchemaJsonContext : JsonSerializerContext;
