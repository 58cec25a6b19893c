using IngestLambda.Analytics.Query;

namespace IngestLambda.Analytics.Tests.Infrastructure;

internal static class AnswersAssert
{
    private const double Tolerance = 1e-12;

    /// <summary>Equal answers; means and coefficients may differ in the last bits (summation order).</summary>
    public static void Equal(LakeAnswers expected, LakeAnswers actual)
    {
        Assert.Equal(expected.Snapshots, actual.Snapshots);
        Assert.Equal(expected.AverageRatingByGenreAndYear.Select(a => (a.Dataset, a.Genre, a.Year, a.Titles)),
            actual.AverageRatingByGenreAndYear.Select(a => (a.Dataset, a.Genre, a.Year, a.Titles)));
        foreach (var (e, a) in expected.AverageRatingByGenreAndYear.Zip(actual.AverageRatingByGenreAndYear))
            Assert.True(Math.Abs(e.AverageRating - a.AverageRating) < Tolerance, $"{e} vs {a}");
        Assert.Equal(expected.VotesVersusRating.Select(v => (v.Dataset, v.Titles)), actual.VotesVersusRating.Select(v => (v.Dataset, v.Titles)));
        foreach (var (e, a) in expected.VotesVersusRating.Zip(actual.VotesVersusRating))
        {
            Assert.True(Close(e.Pearson, a.Pearson), $"{e} vs {a}");
            Assert.True(Close(e.PearsonLogVotes, a.PearsonLogVotes), $"{e} vs {a}");
        }
        Assert.Equal(expected.ProfessionsOfArtistsWithMoreThanThreeKnownTitles, actual.ProfessionsOfArtistsWithMoreThanThreeKnownTitles);
        Assert.Equal(expected.CountriesOfTopRatedTitles, actual.CountriesOfTopRatedTitles);
    }

    private static bool Close(double? expected, double? actual) =>
        expected is null ? actual is null : actual is not null && Math.Abs(expected.Value - actual.Value) < 1e-9;
}
