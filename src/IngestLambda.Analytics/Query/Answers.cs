using System.Text.Json.Serialization;

namespace IngestLambda.Analytics.Query;

/// <summary>The document `answers --json` prints; its keys are fixed by issue #10.</summary>
internal sealed record LakeAnswers(
    [property: JsonPropertyName("snapshots")] IReadOnlyList<SnapshotSummary> Snapshots,
    [property: JsonPropertyName("averageRatingByGenreAndYear")] IReadOnlyList<GenreYearRating> AverageRatingByGenreAndYear,
    [property: JsonPropertyName("votesVersusRating")] IReadOnlyList<VotesVersusRating> VotesVersusRating,
    [property: JsonPropertyName("professionsOfArtistsWithMoreThanThreeKnownTitles")] IReadOnlyList<ProfessionCount> ProfessionsOfArtistsWithMoreThanThreeKnownTitles,
    [property: JsonPropertyName("countriesOfTopRatedTitles")] Unanswerable CountriesOfTopRatedTitles);

/// <param name="Date">The day read, or for --all the first and last day as an ISO 8601 interval (2026-11-24/2026-11-26).</param>
/// <param name="Rows">Data rows in the snapshot's files (before the newest day wins, for --all).</param>
/// <param name="Titles">Distinct ids.</param>
internal sealed record SnapshotSummary(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("files")] int Files,
    [property: JsonPropertyName("rows")] long Rows,
    [property: JsonPropertyName("titles")] long Titles);

internal sealed record GenreYearRating(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("genre")] string Genre,
    [property: JsonPropertyName("year")] int Year,
    [property: JsonPropertyName("averageRating")] double AverageRating,
    [property: JsonPropertyName("titles")] long Titles);

/// <param name="Pearson">Null where r is undefined (fewer than two titles, or no spread).</param>
internal sealed record VotesVersusRating(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("titles")] long Titles,
    [property: JsonPropertyName("pearson")] double? Pearson,
    [property: JsonPropertyName("pearsonLogVotes")] double? PearsonLogVotes);

internal sealed record ProfessionCount(
    [property: JsonPropertyName("profession")] string Profession,
    [property: JsonPropertyName("artists")] long Artists);

internal sealed record Unanswerable(
    [property: JsonPropertyName("answerable")] bool Answerable,
    [property: JsonPropertyName("reason")] string Reason)
{
    public static Unanswerable Countries { get; } = new(false,
        "No column holds a country: the files carry titles, genres, years, ratings, votes and artists, but neither a "
        + "title's country of origin nor its production or release countries. Joining the titles by id (tt…) to a "
        + "dataset that has them, such as IMDb's title.akas (region per title) or a country-of-origin list, would "
        + "answer it.");
}

/// <summary>What the report's charts need beyond the answers: a sample of titles for the scatter plot.</summary>
internal sealed record TitlePoint(string Dataset, double LogVotes, double Rating);
