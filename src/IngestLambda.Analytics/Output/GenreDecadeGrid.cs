using IngestLambda.Analytics.Query;

namespace IngestLambda.Analytics.Output;

/// <summary>
/// Q1 as the report draws it (docs/analytics.md "The report"): a dataset's most frequent genres (rows) by decade
/// of release (columns), each cell the mean rating of the genre's titles of that decade. A cell with fewer than
/// <see cref="MinTitles"/> rated titles is blank: a mean of a handful of titles says nothing about the genre.
/// Decade columns at either end with no cell over the floor are left out; a gap inside the range stays visible.
/// </summary>
internal sealed class GenreDecadeGrid
{
    /// <summary>The floor of a shown cell: below it, one title more or less moves the mean by a visible step.</summary>
    public const int DefaultMinTitles = 10;

    private readonly Dictionary<(string Genre, int Decade), (double Mean, long Titles)> _cells;

    private GenreDecadeGrid(string dataset, IReadOnlyList<string> genres, IReadOnlyList<int> decades, int minTitles,
        Dictionary<(string Genre, int Decade), (double Mean, long Titles)> cells)
    {
        (Dataset, Genres, Decades, MinTitles, _cells) = (dataset, genres, decades, minTitles, cells);
    }

    public string Dataset { get; }
    /// <summary>The most frequent first.</summary>
    public IReadOnlyList<string> Genres { get; }
    /// <summary>First years of the decades, ascending and consecutive (1990, 2000, …).</summary>
    public IReadOnlyList<int> Decades { get; }
    public int MinTitles { get; }

    /// <summary>The decade a year belongs to: 1999 → 1990, 2000 → 2000.</summary>
    public static int DecadeOf(int year) => year - (((year % 10) + 10) % 10);

    /// <summary>The cell's mean rating and title count; null when it has fewer than <see cref="MinTitles"/> titles.</summary>
    public (double Mean, long Titles)? Cell(string genre, int decade) =>
        _cells.TryGetValue((genre, decade), out var cell) && cell.Titles >= MinTitles ? cell : null;

    /// <summary>Titles of the cell whatever the floor (0 when none).</summary>
    public long TitlesIn(string genre, int decade) => _cells.TryGetValue((genre, decade), out var cell) ? cell.Titles : 0;

    public static GenreDecadeGrid Build(LakeAnswers answers, string dataset, int genres, int minTitles = DefaultMinTitles)
    {
        var top = Headlines.TopGenres(answers, dataset, genres);
        var cells = top.SelectMany(genre => Headlines.ByDecade(answers, dataset, genre).Select(d => (Key: (genre, d.Key), d.Value)))
            .ToDictionary(c => c.Key, c => c.Value);
        var shown = cells.Where(c => c.Value.Titles >= minTitles).Select(c => c.Key.Item2).ToList();
        IReadOnlyList<int> decades = shown.Count == 0 ? []
            : Enumerable.Range(0, (shown.Max() - shown.Min()) / 10 + 1).Select(i => shown.Min() + i * 10).ToList();
        return new GenreDecadeGrid(dataset, top, decades, minTitles, cells);
    }
}
