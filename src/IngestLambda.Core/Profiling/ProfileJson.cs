using System.Text.Json;
using System.Text.Json.Serialization;

namespace IngestLambda.Core.Profiling;

/// <summary>
/// What a reader of manifests needs of one (docs/contracts.md "Report"): its version, outcome, dataset, profile and
/// time. Reading only these keeps a reader independent of the rest of the report's shape; version 1 has no profile.
/// </summary>
public sealed record ManifestProfile
{
    public int ReportVersion { get; init; }
    public string? Outcome { get; init; }
    public string? Dataset { get; init; }
    public FileProfile? Profile { get; init; }
    public DateTimeOffset? ProcessedAt { get; init; }
}

/// <summary>Reads and writes profiles with source-generated (AOT-safe) JSON, camelCase as in the report.</summary>
public static class ProfileJson
{
    private static readonly ProfileJsonContext Context = new(JsonDefaults.Apply(ProfileJsonContext.Default.Options));

    /// <summary>The manifest's version, dataset and profile; throws <see cref="JsonException"/> on JSON that is not a report object.</summary>
    public static ManifestProfile ReadManifest(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, Context.ManifestProfile) ?? throw new JsonException("The manifest is JSON null, not a report object.");

    public static string Serialize(FileProfile profile) => JsonSerializer.Serialize(profile, Context.FileProfile);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ManifestProfile))]
[JsonSerializable(typeof(FileProfile))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
