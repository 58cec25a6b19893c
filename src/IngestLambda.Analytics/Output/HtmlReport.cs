using System.Globalization;
using System.Net;
using System.Text;
using IngestLambda.Analytics.Query;
using ScottPlot;

namespace IngestLambda.Analytics.Output;

/// <summary>
/// One self-contained page: the snapshot table and one chart per question, each an inline SVG drawn by ScottPlot.
/// Nothing is loaded from elsewhere (no script, font or image), so it opens offline and can be mailed as is.
/// </summary>
internal static class HtmlReport
{
    private const int Genres = 5;
    private const int Professions = 15;

    /// <param name="sampleLimit">The most titles per dataset <paramref name="sample"/> may hold (the page says so).</param>
    public static string Render(LakeAnswers answers, IReadOnlyList<TitlePoint> sample, int sampleLimit, string rawLocation)
    {
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Answers from the lake</title>
            <style>
            body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1280px; }
            table { border-collapse: collapse; margin: 8px 0 16px; }
            th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            .row { display: flex; flex-wrap: wrap; gap: 16px; }
            .note { color: #555; font-size: 0.9em; }
            </style></head><body>
            <h1>Answers from the lake</h1>
            """);
        html.Append(c, $"<p class=\"note\">Read from {Encode(rawLocation)}.</p>");
        html.Append("<h2>Snapshot</h2><table><tr><th>dataset</th><th>date</th><th>files</th><th>rows</th><th>titles</th></tr>");
        foreach (var s in answers.Snapshots)
            html.Append(c, $"<tr><td>{Encode(s.Dataset)}</td><td>{Encode(s.Date)}</td><td>{s.Files}</td><td>{s.Rows:N0}</td><td>{s.Titles:N0}</td></tr>");
        html.Append("</table>");

        html.Append("<h2>1. Average rating per genre, over the years</h2><div class=\"row\">");
        foreach (var dataset in Headlines.Datasets(answers))
            html.Append(RatingByYear(answers, dataset));
        html.Append("</div><p class=\"note\">The most frequent genres; one point per release year with at least one rated title.</p>");

        html.Append("<h2>2. Votes against rating</h2><div class=\"row\">");
        foreach (var dataset in Headlines.Datasets(answers))
            html.Append(VotesScatter(answers, sample, dataset));
        html.Append("</div>");
        html.Append("<table><tr><th>dataset</th><th>titles</th><th>r (votes)</th><th>r (ln votes)</th></tr>");
        foreach (var v in answers.VotesVersusRating)
            html.Append(c, $"<tr><td>{Encode(v.Dataset)}</td><td>{v.Titles:N0}</td><td>{Format(v.Pearson)}</td><td>{Format(v.PearsonLogVotes)}</td></tr>");
        html.Append(c, $"</table><p class=\"note\">Each scatter plot shows a fixed sample of at most {sampleLimit:N0} titles (chosen by a hash of the id); r is computed over all of them.</p>");

        html.Append("<h2>3. Professions of artists with more than 3 known titles</h2>");
        html.Append(ProfessionBars(answers));

        html.Append("<h2>4. Countries of the best-rated titles</h2>");
        html.Append(c, $"<p>Not answerable. {Encode(answers.CountriesOfTopRatedTitles.Reason)}</p>");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string RatingByYear(LakeAnswers answers, string dataset)
    {
        var plot = new Plot();
        foreach (var genre in Headlines.TopGenres(answers, dataset, Genres))
        {
            var points = answers.AverageRatingByGenreAndYear.Where(a => a.Dataset == dataset && a.Genre == genre).OrderBy(a => a.Year).ToList();
            var line = plot.Add.Scatter(points.Select(p => (double)p.Year).ToArray(), points.Select(p => p.AverageRating).ToArray());
            line.LegendText = genre;
            line.MarkerSize = 3;
            line.LineWidth = 1.5f;
        }
        // Years, not quantities: no thousands separator.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = year => year.ToString("0", CultureInfo.InvariantCulture) };
        plot.Title($"{dataset}: average rating by year");
        plot.XLabel("release year");
        plot.YLabel("average rating");
        plot.ShowLegend(Alignment.LowerLeft);
        return Svg(plot, 620, 420);
    }

    private static string VotesScatter(LakeAnswers answers, IReadOnlyList<TitlePoint> sample, string dataset)
    {
        var points = sample.Where(p => p.Dataset == dataset).ToList();
        var r = answers.VotesVersusRating.FirstOrDefault(v => v.Dataset == dataset)?.PearsonLogVotes;
        var plot = new Plot();
        var dots = plot.Add.ScatterPoints(points.Select(p => p.LogVotes).ToArray(), points.Select(p => p.Rating).ToArray());
        dots.MarkerSize = 2;
        plot.Title($"{dataset}: rating vs ln(votes), r = {Format(r)}");
        plot.XLabel("ln(number of votes)");
        plot.YLabel("average rating");
        return Svg(plot, 620, 420);
    }

    private static string ProfessionBars(LakeAnswers answers)
    {
        var top = answers.ProfessionsOfArtistsWithMoreThanThreeKnownTitles.Take(Professions).Reverse().ToList();
        var plot = new Plot();
        var bars = plot.Add.Bars(top.Select(p => (double)p.Artists).ToArray());
        bars.Horizontal = true;
        plot.Axes.Left.SetTicks(Enumerable.Range(0, top.Count).Select(i => (double)i).ToArray(), top.Select(p => p.Profession).ToArray());
        plot.Axes.Margins(left: 0);
        plot.Title("Artists with more than 3 known titles, by profession");
        plot.XLabel("artists");
        return Svg(plot, 900, 40 + 28 * Math.Max(top.Count, 4));
    }

    private static string Svg(Plot plot, int width, int height) => "<div>" + plot.GetSvgXml(width, height) + "</div>";

    private static string Format(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "n/a";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
