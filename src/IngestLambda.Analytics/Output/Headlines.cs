using IngestLambda.Analytics.Query;

namespace IngestLambda.Analytics.Output;

/// <summary>The readable cut of the answers that the tables and the charts show (the JSON has everything).</summary>
internal static class Headlines
{
    /// <summary>A dataset's genres with the most title-years, the most frequent first.</summary>
    public static IReadOnlyList<string> TopGenres(LakeAnswers answers, string dataset, int count) =>
        answers.AverageRatingByGenreAndYear.Where(a => a.Dataset == dataset)
            .GroupBy(a => a.Genre)
            .OrderByDescending(g => g.Sum(a => a.Titles)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(count).Select(g => g.Key).ToList();

    /// <summary>The mean rating of a genre's titles per decade (weighted by titles, so it is the decade's true mean).</summary>
    public static IReadOnlyDictionary<int, (double Mean, long Titles)> ByDecade(LakeAnswers answers, string dataset, string genre) =>
        answers.AverageRatingByGenreAndYear.Where(a => a.Dataset == dataset && a.Genre == genre)
            .GroupBy(a => GenreDecadeGrid.DecadeOf(a.Year))
            .ToDictionary(g => g.Key, g => (g.Sum(a => a.AverageRating * a.Titles) / g.Sum(a => a.Titles), g.Sum(a => a.Titles)));

    public static IEnumerable<string> Datasets(LakeAnswers answers) => answers.Snapshots.Select(s => s.Dataset);
}
