using System.Globalization;
using IngestLambda.Analytics.Query;

namespace IngestLambda.Analytics.Tests.Infrastructure;

/// <summary>
/// The answers computed from the generated titles with LINQ, independently of the SQL: the rules of issue #10
/// written a second time, the plain way.
/// </summary>
internal static class ExpectedAnswers
{
    /// <param name="files">The snapshot's files (already chosen by day).</param>
    public static LakeAnswers Compute(IReadOnlyList<LakeFile> files)
    {
        var snapshots = files.GroupBy(f => f.Dataset).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var first = g.Min(f => f.Date);
            var last = g.Max(f => f.Date);
            return new SnapshotSummary(g.Key, first == last ? Iso(last) : $"{Iso(first)}/{Iso(last)}", g.Count(),
                g.Sum(f => f.Titles.Sum(t => t.Artists.Count)), g.SelectMany(f => f.Titles).Select(t => t.Id).Distinct().Count());
        }).ToList();

        // The newest day of each id wins (a no-op for a one-day snapshot).
        var current = files
            .SelectMany(f => f.Titles.Select(t => (f.Dataset, f.Date, Title: t)))
            .GroupBy(x => (x.Dataset, x.Title.Id))
            .SelectMany(g => g.Where(x => x.Date == g.Max(y => y.Date)))
            .ToList();

        var q1 = current
            .Where(x => x.Title.Rating is not null && x.Title.Genres is not null && x.Title.Year is not null)
            .SelectMany(x => x.Title.Genres!.Split(',').Select(genre => (x.Dataset, Genre: genre, Year: int.Parse(x.Title.Year!, CultureInfo.InvariantCulture), Rating: Number(x.Title.Rating!))))
            .GroupBy(x => (x.Dataset, x.Genre, x.Year))
            .Select(g => new GenreYearRating(g.Key.Dataset, g.Key.Genre, g.Key.Year, g.Average(x => x.Rating), g.Count()))
            .OrderBy(a => a.Dataset, StringComparer.Ordinal).ThenBy(a => a.Genre, StringComparer.Ordinal).ThenBy(a => a.Year)
            .ToList();

        var rated = current
            .Where(x => x.Title.Rating is not null && x.Title.Votes is not null && Number(x.Title.Votes) > 0)
            .Select(x => (x.Dataset, Votes: Number(x.Title.Votes!), Rating: Number(x.Title.Rating!)))
            .ToList();
        var q2 = rated.GroupBy(x => x.Dataset).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Correlations(g.Key, [.. g]))
            .Append(Correlations("All", rated))
            .ToList();

        var q3 = current
            .SelectMany(x => x.Title.Artists)
            .Distinct()
            .Where(a => a.Professions is not null && (a.KnownTitles?.Split(',').Length ?? 0) > 3)
            .SelectMany(a => a.Professions!.Split(','))
            .GroupBy(p => p)
            .Select(g => new ProfessionCount(g.Key, g.Count()))
            .OrderByDescending(p => p.Artists).ThenBy(p => p.Profession, StringComparer.Ordinal)
            .ToList();

        return new LakeAnswers(snapshots, q1, q2, q3, Unanswerable.Countries);
    }

    private static VotesVersusRating Correlations(string dataset, List<(string Dataset, double Votes, double Rating)> titles) =>
        new(dataset, titles.Count,
            Pearson(titles.Select(t => t.Votes).ToList(), titles.Select(t => t.Rating).ToList()),
            Pearson(titles.Select(t => Math.Log(t.Votes)).ToList(), titles.Select(t => t.Rating).ToList()));

    private static double? Pearson(List<double> x, List<double> y)
    {
        if (x.Count < 2)
            return null;
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? null : sxy / Math.Sqrt(sxx * syy);
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
