using IngestLambda.Analytics.Output;
using IngestLambda.Analytics.Query;

namespace IngestLambda.Analytics.Tests;

/// <summary>Q1's heatmap data: years binned into decades, means weighted by titles, the floor blanking thin cells.</summary>
public sealed class GenreDecadeGridTests
{
    [Theory]
    [InlineData(1990, 1990)]
    [InlineData(1999, 1990)]
    [InlineData(2000, 2000)]
    [InlineData(2026, 2020)]
    [InlineData(1894, 1890)]
    public void A_year_falls_in_the_decade_it_starts_with(int year, int decade) => Assert.Equal(decade, GenreDecadeGrid.DecadeOf(year));

    private static LakeAnswers Answers(params GenreYearRating[] ratings) =>
        new([], ratings, [], [], Unanswerable.Countries);

    [Fact]
    public void A_cell_is_the_title_weighted_mean_of_its_decade_and_thin_cells_are_blank()
    {
        var answers = Answers(
            new("Movies", "Drama", 1985, 9.0, 5),     // 1980s: 5 titles, under the floor
            new("Movies", "Drama", 1995, 6.0, 4),
            new("Movies", "Drama", 1999, 8.0, 8),     // 1990s: (4×6 + 8×8) / 12 titles
            new("Movies", "Comedy", 2005, 5.0, 3),    // 2000s: under the floor
            new("Movies", "Comedy", 2021, 7.0, 10),   // 2020s: exactly the floor
            new("Series", "Drama", 1995, 1.0, 100));  // another dataset: not in Movies' grid

        var grid = GenreDecadeGrid.Build(answers, "Movies", genres: 5, minTitles: 10);

        Assert.Equal(["Drama", "Comedy"], grid.Genres); // 17 titles before 13
        // 1980s has no cell over the floor and lies at the edge: left out; 2010s is empty but inside the range: kept.
        Assert.Equal([1990, 2000, 2010, 2020], grid.Decades);
        var drama = grid.Cell("Drama", 1990)!.Value;
        Assert.Equal(88.0 / 12, drama.Mean, 10);
        Assert.Equal(12, drama.Titles);
        Assert.Null(grid.Cell("Drama", 1980));
        Assert.Equal(5, grid.TitlesIn("Drama", 1980));
        Assert.Null(grid.Cell("Comedy", 2000));
        Assert.Equal((7.0, 10L), grid.Cell("Comedy", 2020));
        Assert.Null(grid.Cell("Comedy", 2010));
    }

    [Fact]
    public void Only_the_most_frequent_genres_are_rows()
    {
        var answers = Answers(
            new("Movies", "Drama", 2001, 6.0, 30),
            new("Movies", "Comedy", 2001, 6.0, 20),
            new("Movies", "Horror", 2001, 6.0, 10));

        Assert.Equal(["Drama", "Comedy"], GenreDecadeGrid.Build(answers, "Movies", genres: 2).Genres);
    }

    [Fact]
    public void Without_any_cell_over_the_floor_there_are_no_columns()
    {
        var grid = GenreDecadeGrid.Build(Answers(new GenreYearRating("Movies", "Drama", 2001, 6.0, 9)), "Movies", genres: 5, minTitles: 10);

        Assert.Empty(grid.Decades);
        Assert.Equal(["Drama"], grid.Genres);
    }
}
