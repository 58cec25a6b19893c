using System.Globalization;
using System.Net;
using System.Text;
using IngestLambda.Analytics.Query;
using IngestLambda.Core.Quality;
using ScottPlot;

namespace IngestLambda.Analytics.Output;

/// <summary>
/// One self-contained page: the snapshot table and one chart per question, each an inline SVG drawn by ScottPlot.
/// Nothing is loaded from elsewhere (no script, font or image), so it opens offline and can be mailed as is.
/// </summary>
internal static class HtmlReport
{
    private const int Genres = 12;
    private const int Professions = 15;

    /// <param name="sampleLimit">The most titles per dataset <paramref name="sample"/> may hold (the page says so).</param>
    /// <param name="quality">The "Data quality" section's content; null leaves the section out.</param>
    public static string Render(LakeAnswers answers, IReadOnlyList<TitlePoint> sample, int sampleLimit, string rawLocation,
        IReadOnlyList<DatasetQuality>? quality = null, DriftRules? rules = null, string manifestLocation = "")
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
            table.profile td, table.drift td { font-variant-numeric: tabular-nums; }
            td.text, th.text { text-align: left; max-width: 420px; }
            .drift { color: #a33; } table.drift { color: #222; }
            .ok { color: #276; }
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
            html.Append(RatingHeatmap(GenreDecadeGrid.Build(answers, dataset, Genres)));
        html.Append(c, $"</div><p class=\"note\">The {Genres} most frequent genres by decade of release; each cell is the mean rating of the genre's rated titles of that decade (a title counts in each of its genres), coloured from the lowest mean shown (dark) to the highest (yellow). Grey cells have fewer than {GenreDecadeGrid.DefaultMinTitles} titles. Every year is in <code>answers --json</code>.</p>");

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
        if (quality is not null)
            QualitySection.Append(html, quality, rules ?? DriftRules.Default, manifestLocation);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>Q1 as a grid of coloured cells, each labelled with its mean: vector rectangles, so it stays sharp when scaled.</summary>
    private static string RatingHeatmap(GenreDecadeGrid grid)
    {
        var plot = new Plot();
        var means = grid.Genres.SelectMany(g => grid.Decades.Select(d => grid.Cell(g, d)?.Mean)).OfType<double>().ToList();
        var (low, high) = means.Count == 0 ? (0.0, 1.0) : (means.Min(), Math.Max(means.Max(), means.Min() + 0.1));
        var colormap = new ScottPlot.Colormaps.Viridis();
        for (var row = 0; row < grid.Genres.Count; row++)
        {
            var y = grid.Genres.Count - 1 - row; // the most frequent genre on top
            for (var column = 0; column < grid.Decades.Count; column++)
            {
                var cell = plot.Add.Rectangle(column - 0.5, column + 0.5, y - 0.5, y + 0.5);
                cell.LineColor = Colors.White;
                cell.LineWidth = 1;
                if (grid.Cell(grid.Genres[row], grid.Decades[column]) is not { } value)
                {
                    cell.FillColor = Color.FromHex("#f2f2f2");
                    continue;
                }
                var shade = (value.Mean - low) / (high - low);
                cell.FillColor = colormap.GetColor(shade);
                var label = plot.Add.Text(value.Mean.ToString("F1", CultureInfo.InvariantCulture), column, y);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = 12;
                label.LabelFontColor = shade > 0.6 ? Colors.Black : Colors.White;
            }
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, grid.Decades.Count).Select(i => (double)i).ToArray(),
            grid.Decades.Select(d => d.ToString(CultureInfo.InvariantCulture) + "s").ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, grid.Genres.Count).Select(i => (double)(grid.Genres.Count - 1 - i)).ToArray(),
            grid.Genres.ToArray());
        plot.Axes.SetLimits(-0.5, Math.Max(grid.Decades.Count, 1) - 0.5, -0.5, Math.Max(grid.Genres.Count, 1) - 0.5);
        plot.HideGrid();
        plot.Title($"{grid.Dataset}: mean rating by genre and decade");
        plot.XLabel("decade of release");
        // About 80 px per decade: wide enough for the labels, not so wide that three decades stretch over the page.
        // Two narrow ones fit side by side in 1280 px; many decades take the full width.
        return Svg(plot, Math.Clamp(200 + 80 * grid.Decades.Count, 500, 1200), 80 + 30 * Math.Max(grid.Genres.Count, 4));
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
        return Svg(plot, 600, 420); // two side by side within 1280 px
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
