using System.Globalization;
using IngestLambda.Analytics.Query;

namespace IngestLambda.Analytics.Output;

/// <summary>The default output: the snapshot used and the headline of each answer, as plain tables.</summary>
internal static class TextAnswers
{
    private const int Genres = 6;
    private const int Professions = 15;

    public static void Write(LakeAnswers answers, string location, TextWriter output)
    {
        void Line(string text) => output.WriteLine(text);
        output.WriteLine($"Snapshot read from {location}");
        Line($"  {"dataset",-8} {"date",-21} {"files",5} {"rows",12} {"titles",10}");
        foreach (var s in answers.Snapshots)
            Line($"  {s.Dataset,-8} {s.Date,-21} {s.Files,5} {s.Rows,12:N0} {s.Titles,10:N0}");

        output.WriteLine();
        output.WriteLine("Q1  Average rating per genre over the years (the most frequent genres, mean per decade; --json has every year)");
        foreach (var dataset in Headlines.Datasets(answers))
        {
            var genres = Headlines.TopGenres(answers, dataset, Genres);
            var rows = genres.ToDictionary(g => g, g => Headlines.ByDecade(answers, dataset, g));
            var decades = rows.Values.SelectMany(r => r.Keys).Distinct().Order().ToList();
            Line($"  {dataset}");
            Line($"    {"genre",-12}" + string.Concat(decades.Select(d => $" {d + "s",6}")));
            foreach (var genre in genres)
                Line($"    {genre,-12}" + string.Concat(decades.Select(d =>
                    rows[genre].TryGetValue(d, out var v) ? $" {v.Mean,6:F2}" : $" {"-",6}")));
        }

        output.WriteLine();
        output.WriteLine("Q2  Correlation between the number of votes and the average rating (Pearson's r, rated titles with votes)");
        Line($"  {"dataset",-8} {"titles",10} {"r(votes)",10} {"r(ln votes)",12}");
        foreach (var v in answers.VotesVersusRating)
            Line($"  {v.Dataset,-8} {v.Titles,10:N0} {Number(v.Pearson),10} {Number(v.PearsonLogVotes),12}");

        output.WriteLine();
        Line($"Q3  Professions of artists with more than 3 known titles (top {Professions} of {answers.ProfessionsOfArtistsWithMoreThanThreeKnownTitles.Count})");
        foreach (var p in answers.ProfessionsOfArtistsWithMoreThanThreeKnownTitles.Take(Professions))
            Line($"  {p.Profession,-28} {p.Artists,10:N0}");

        output.WriteLine();
        output.WriteLine("Q4  Countries of the best-rated titles: not answerable.");
        output.WriteLine($"    {answers.CountriesOfTopRatedTitles.Reason}");
    }

    private static string Number(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
}
