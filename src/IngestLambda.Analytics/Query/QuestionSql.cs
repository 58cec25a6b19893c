namespace IngestLambda.Analytics.Query;

/// <summary>The questions' SQL, embedded from Sql/*.sql: the same text Athena's named queries run (template.yaml).</summary>
internal static class QuestionSql
{
    public const string AverageRatingByGenreAndYear = "averageRatingByGenreAndYear";
    public const string VotesVersusRating = "votesVersusRating";
    public const string ProfessionsOfArtistsWithMoreThanThreeKnownTitles = "professionsOfArtistsWithMoreThanThreeKnownTitles";

    public static string Load(string name)
    {
        using var stream = typeof(QuestionSql).Assembly.GetManifestResourceStream($"IngestLambda.Analytics.Sql.{name}.sql")
                           ?? throw new InvalidOperationException($"The embedded query {name}.sql is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
