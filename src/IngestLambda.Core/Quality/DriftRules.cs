using System.Text.Json;
using System.Text.Json.Serialization;

namespace IngestLambda.Core.Quality;

/// <summary>
/// The thresholds beyond which a change between two snapshots is drift (docs/contracts.md "Drift rules"). They ship
/// as <c>contracts/quality/drift-rules.json</c> (a subfolder, since every <c>*.json</c> directly in <c>contracts/</c>
/// is a dataset contract); <c>quality --rules FILE</c> reads another file. A property left out keeps its default
/// (settable properties: the source-generated reader would give an init-only property left out its type's default).
/// </summary>
public sealed record DriftRules
{
    /// <summary>Rows changed by more than this percentage, up or down.</summary>
    public double RowsPercent { get; set; } = 20;

    /// <summary>Distinct titles (<c>id</c>) changed by more than this percentage, up or down.</summary>
    public double DistinctIdsPercent { get; set; } = 20;

    /// <summary>A column's share of nulls went up by more than this many percentage points.</summary>
    public double NullRatePoints { get; set; } = 10;

    /// <summary>A numeric column's mean moved by more than this percentage of the previous mean.</summary>
    public double MeanPercent { get; set; } = 10;

    /// <summary>Whether an item appearing in or vanishing from a list column's top 20 is drift.</summary>
    public bool TopItems { get; set; } = true;

    /// <summary>Columns no column rule looks at (a list of ids churns its top 20 every day).</summary>
    public IReadOnlyList<string> IgnoreColumns { get; set; } = [];

    public static DriftRules Default { get; } = new();

    /// <summary>Where the shipped rules are: CONTRACTS_DIR's <c>quality/</c>, else <c>contracts/quality/</c> beside the executable.</summary>
    public static string DefaultPath() => Path.Combine(
        Environment.GetEnvironmentVariable("CONTRACTS_DIR") is { Length: > 0 } contracts ? contracts : Path.Combine(AppContext.BaseDirectory, "contracts"),
        "quality", "drift-rules.json");

    /// <summary>Reads a rules file; throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public static DriftRules Parse(string json)
    {
        DriftRules? rules;
        try
        {
            rules = JsonSerializer.Deserialize(json, DriftRulesJsonContext.Default.DriftRules);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a rules object: {e.Message}", e);
        }
        if (rules is null)
            throw new InvalidDataException("not a rules object: JSON null");
        foreach (var (name, value) in new[] { ("rowsPercent", rules.RowsPercent), ("distinctIdsPercent", rules.DistinctIdsPercent),
                     ("nullRatePoints", rules.NullRatePoints), ("meanPercent", rules.MeanPercent) })
        {
            if (!double.IsFinite(value) || value < 0)
                throw new InvalidDataException($"{name} must be a number of 0 or more, not {value}");
        }
        return rules;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowTrailingCommas = false, ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(DriftRules))]
internal sealed partial class DriftRulesJsonContext : JsonSerializerContext;
