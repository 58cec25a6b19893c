using System.Reflection;

namespace IngestLambda.Analytics.Sql;

/// <summary>
/// The questions' SQL, embedded from Sql/*.sql, and the columns they read. DuckDB (<c>answers</c>) runs the files as
/// they are; <c>make generate</c> (tools/IngestLambda.Generate, which compiles this file and embeds the same SQL)
/// writes them into template.yaml as Athena named queries behind Sql/Engines/athena-snapshot.sql. Nothing here
/// depends on DuckDB, so the generator does not carry it.
/// </summary>
internal static class QuestionSql
{
    public const string AverageRatingByGenreAndYear = "averageRatingByGenreAndYear";
    public const string VotesVersusRating = "votesVersusRating";
    public const string ProfessionsOfArtistsWithMoreThanThreeKnownTitles = "professionsOfArtistsWithMoreThanThreeKnownTitles";

    /// <summary>
    /// The columns of <c>snapshot_rows</c>, the one relation every question reads (docs/analytics.md, "The engine
    /// layer"); a dataset without one of them cannot be asked about.
    /// </summary>
    public static IReadOnlyList<string> SnapshotColumns { get; } =
        ["id", "genero", "anoLancamento", "notaMedia", "numeroVotos", "nomeArtista", "anoNascimento", "anoFalecimento", "profissao", "titulosMaisConhecidos"];

    private const string ResourcePrefix = "IngestLambda.Analytics.Sql.";
    private const string EnginePrefix = ResourcePrefix + "Engines.";

    /// <summary>Every question (Sql/*.sql by file name, without the extension), in ordinal order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        .. Assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && !r.StartsWith(EnginePrefix, StringComparison.Ordinal))
            .Select(r => r[ResourcePrefix.Length..^".sql".Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>A question's file as written, comments included.</summary>
    public static string Load(string name) => Read(ResourcePrefix + name + ".sql", $"query {name}.sql");

    /// <summary>An engine layer of Sql/Engines/ (only where that engine's SQL is written: the generator).</summary>
    public static string LoadEngine(string name) => Read(EnginePrefix + name + ".sql", $"engine layer Engines/{name}.sql");

    /// <summary>The SQL without its comment lines, trimmed: what an engine runs.</summary>
    public static string Body(string sql) =>
        string.Join('\n', sql.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim();

    private static Assembly Assembly => typeof(QuestionSql).Assembly;

    private static string Read(string resource, string what)
    {
        using var stream = Assembly.GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"The embedded {what} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }
}
