using System.Globalization;
using System.Net;
using System.Text;
using IngestLambda.Analytics.Query;
using IngestLambda.Core.Quality;

namespace IngestLambda.Analytics.Output;

/// <summary>
/// The report's "Data quality" section: per dataset, the newest day's profile as a table (a row per column) and the
/// drift from the previous day, from the manifests (docs/analytics.md "Data quality").
/// </summary>
internal static class QualitySection
{
    private const int TopShown = 3;
    /// <summary>A lake whose manifests predate profiles would otherwise list every one of them.</summary>
    private const int NotesShown = 5;

    public static void Append(StringBuilder html, IReadOnlyList<DatasetQuality> quality, DriftRules rules, string manifestLocation)
    {
        var c = CultureInfo.InvariantCulture;
        html.Append("<h2 id=\"data-quality\">Data quality</h2>");
        html.Append(c, $"<p class=\"note\">From the profiles in the manifests under {Encode(manifestLocation)}: each dataset's newest day with a profile, combined over its files, and what changed since the latest earlier day with one, beyond the thresholds of <code>bootstrap quality</code> (rows ±{Number(rules.RowsPercent)}%, distinct titles ±{Number(rules.DistinctIdsPercent)}%, a null rate up by more than {Number(rules.NullRatePoints)} points, a mean moved by more than {Number(rules.MeanPercent)}%{(rules.TopItems ? ", an item entering or leaving a list's top 20" : "")}).</p>");
        foreach (var dataset in quality)
        {
            html.Append(c, $"<h3>{Encode(dataset.Dataset)}</h3>");
            if (dataset.Newest is not { } newest)
            {
                html.Append("<p>No manifest of this dataset has a profile yet.</p>");
                Notes(html, dataset.Notes);
                continue;
            }
            var profile = newest.Profile;
            var titles = profile.DistinctIds is { } ids ? $", about {ids:N0} distinct titles" : "";
            html.Append(c, $"<p>{Iso(newest.Day)}: {newest.Files} file(s), {profile.Rows:N0} rows{titles}.</p>");
            html.Append("<table class=\"profile\"><tr><th>column</th><th>nulls</th><th>empties</th><th>distinct</th><th>min</th><th>max</th><th>mean</th><th>bytes</th><th class=\"text\">most frequent</th></tr>");
            foreach (var (name, column) in profile.Columns)
            {
                var rate = profile.Rows == 0 ? 0 : 100.0 * column.Nulls / profile.Rows;
                var bytes = column.MinBytes is { } low && column.MaxBytes is { } high ? $"{low}–{high}" : "";
                var top = string.Join(", ", (column.Top ?? []).Take(TopShown).Select(t => $"{Encode(t.Value)} ({t.Count:N0})"));
                html.Append(c, $"<tr><td>{Encode(name)}</td><td>{column.Nulls:N0} ({rate:0.#}%)</td><td>{column.Empties:N0}</td><td>{column.Distinct:N0}</td>"
                    + $"<td>{Number(column.Min)}</td><td>{Number(column.Max)}</td><td>{Number(column.Mean)}</td><td>{bytes}</td><td class=\"text\">{top}</td></tr>");
            }
            html.Append("</table>");
            if (dataset.Previous is not { } previous)
                html.Append("<p>No earlier day with a profile: nothing to compare with.</p>");
            else if (dataset.Drifts.Count == 0)
                html.Append(c, $"<p class=\"ok\">No drift from {Iso(previous.Day)}.</p>");
            else
            {
                html.Append(c, $"<p class=\"drift\">{dataset.Drifts.Count} change(s) beyond a threshold since {Iso(previous.Day)}:</p>");
                html.Append("<table class=\"drift\"><tr><th>column</th><th class=\"text\">measure</th><th class=\"text\">item</th><th>previous</th><th>newest</th><th>change</th><th>limit</th></tr>");
                foreach (var d in dataset.Drifts)
                {
                    var unit = d.Measure == "nullRate" ? "%" : "";
                    html.Append(c, $"<tr><td>{Encode(d.Column ?? "(file)")}</td><td class=\"text\">{d.Measure}</td><td class=\"text\">{Encode(d.Item ?? "")}</td>"
                        + $"<td>{Number(d.Previous)}{(d.Previous is null ? "" : unit)}</td><td>{Number(d.Newest)}{(d.Newest is null ? "" : unit)}</td><td>{Encode(d.Change)}</td><td>{Encode(d.Limit)}</td></tr>");
                }
                html.Append("</table>");
            }
            Notes(html, dataset.Notes);
        }
    }

    private static void Notes(StringBuilder html, IReadOnlyList<string> notes)
    {
        if (notes.Count == 0)
            return;
        html.Append("<ul class=\"note\">");
        foreach (var note in notes.Take(NotesShown))
            html.Append("<li>").Append(Encode(note)).Append("</li>");
        if (notes.Count > NotesShown)
            html.Append(CultureInfo.InvariantCulture, $"<li>and {notes.Count - NotesShown:N0} more manifests left out</li>");
        html.Append("</ul>");
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Years stay years (1998, not 1,998); large counts get separators.</summary>
    private static string Number(double? value) =>
        value is { } v ? v.ToString(Math.Abs(v) < 10_000 ? "0.##" : "#,0.##", CultureInfo.InvariantCulture) : "";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
