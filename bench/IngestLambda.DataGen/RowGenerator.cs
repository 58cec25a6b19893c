using System.Globalization;
using System.Text;

namespace IngestLambda.DataGen;

/// <summary>
/// Produces an endless, deterministic sequence of valid rows for one dataset: one row per (title, credited person),
/// the title columns repeated over 1–10 consecutive rows, ids ascending. Null rates per column follow the real files.
/// </summary>
internal sealed class RowGenerator
{
    private const string Null = "\\N";
    private const int LatestYear = 2025;

    private static readonly string[] YearText = Enumerable.Range(0, 10_000).Select(y => y.ToString("D4", CultureInfo.InvariantCulture)).ToArray();
    private static readonly string[] SmallIntText = Enumerable.Range(0, 1_000).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray();
    private static readonly string[] RatingText = Enumerable.Range(0, 101).Select(r => (r / 10.0).ToString("0.0", CultureInfo.InvariantCulture)).ToArray();
    private static readonly int GenreWeightTotal = Vocabulary.GenreWeights.Sum();

    private readonly Random _random;
    private readonly bool _series;
    private readonly StringBuilder _builder = new(128);
    private long _nextId;

    // The current title: its columns are repeated on each of its rows.
    private int _rowsLeftInTitle;
    private string _id = "";
    private string _title = "";
    private string _originalTitle = "";
    private string _startYear = "";
    private string _endYear = "";
    private string _runtime = "";
    private string _genres = "";
    private string _rating = "";
    private string _votes = "";
    private int _titleYear;

    public RowGenerator(Dataset dataset, int seed)
    {
        _series = dataset == Dataset.Series;
        _random = new Random(seed);
        _nextId = 1 + _random.Next(0, 50_000);
        ColumnCount = _series ? 16 : 15;
    }

    public int ColumnCount { get; }

    /// <summary>Fills <paramref name="row"/> (length <see cref="ColumnCount"/>) with the next row.</summary>
    public void Next(string[] row)
    {
        if (_rowsLeftInTitle == 0)
            NextTitle();
        _rowsLeftInTitle--;

        int c = 0;
        row[c++] = _id;
        row[c++] = _title;
        row[c++] = _originalTitle;
        row[c++] = _startYear;
        if (_series)
            row[c++] = _endYear;
        row[c++] = _runtime;
        row[c++] = _genres;
        row[c++] = _rating;
        row[c++] = _votes;

        bool actress = _random.Next(100) < 40;
        row[c++] = Chance(0.0005) ? Null : actress ? "actress" : "actor";
        row[c++] = Character();
        row[c++] = PersonName();

        int born = _titleYear - _random.Next(8, 75);
        bool bornKnown = !Chance(0.44);
        row[c++] = bornKnown ? YearText[born] : Null;
        int died = born + _random.Next(25, 100);
        bool diedKnown = died <= LatestYear && (bornKnown ? Chance(0.15) : Chance(0.02));
        row[c++] = diedKnown ? YearText[died] : Null;

        row[c++] = Chance(0.0008) ? Null : Professions(actress);
        row[c++] = Chance(0.009) ? Null : KnownForIds();
    }

    private void NextTitle()
    {
        _rowsLeftInTitle = RowsPerTitle();
        _nextId += 1 + _random.Next(0, 40);
        // tt + at least 7 digits, as IMDB writes them (tt0000009, tt12345678).
        _id = "tt" + _nextId.ToString("D7", CultureInfo.InvariantCulture);

        _title = Title();
        int roll = _random.Next(100);
        _originalTitle = roll < 78 ? _title : roll < 90 ? ForeignTitle() : Title();

        // Recent years are far more common; a few titles have no year.
        double r = _random.NextDouble();
        _titleYear = LatestYear - (int)(130 * r * r * r);
        _startYear = Chance(0.001) ? Null : YearText[_titleYear];

        if (_series)
        {
            // About 29% of series have no end year (still running or unknown).
            int end = Math.Min(_titleYear + _random.Next(0, 12), LatestYear);
            _endYear = Chance(0.29) ? Null : YearText[end];
            if (_title.Length < 30 && Chance(0.1))
                _title += ": The Series";
        }

        _runtime = Chance(_series ? 0.075 : 0.088) ? Null : Runtime();
        _genres = Chance(_series ? 0.047 : 0.013) ? Null : GenreList();
        _rating = Chance(0.0005) ? Null : RatingText[Rating()];
        _votes = Chance(0.0005) ? Null : Votes();
    }

    private int RowsPerTitle()
    {
        // 1–10 credited people per title, mean about 4.5 as in the samples.
        int n = 1 + _random.Next(0, 5) + _random.Next(0, 5);
        return Math.Min(n, 10);
    }

    private string Runtime()
    {
        // Rare marathon runtimes above 5,000 minutes exist in the real data (e.g. 5220, 51420).
        if (Chance(0.0015))
            return (5_000 + _random.Next(0, 60_000)).ToString(CultureInfo.InvariantCulture);
        int minutes = _series ? _random.Next(5, 361) : 40 + _random.Next(0, 90) + _random.Next(0, 90);
        return SmallIntText[minutes];
    }

    private int Rating()
    {
        // Roughly normal around 6.3, clamped to 1.0–10.0 (in tenths), with the odd 0.0.
        if (Chance(0.0002))
            return 0;
        double sum = 0;
        for (int i = 0; i < 4; i++)
            sum += _random.NextDouble();
        int tenths = (int)Math.Round(63 + (sum - 2) * 45);
        return Math.Clamp(tenths, 10, 100);
    }

    private string Votes()
    {
        // Heavy-tailed: most titles have a handful of votes, a few have millions.
        double exponent = 0.7 + 5.8 * Math.Pow(_random.NextDouble(), 2.2);
        long votes = (long)Math.Pow(10, exponent);
        return votes < SmallIntText.Length ? SmallIntText[votes] : votes.ToString(CultureInfo.InvariantCulture);
    }

    private string Title()
    {
        var b = _builder.Clear();
        switch (_random.Next(100))
        {
            case < 22: b.Append("The ").Append(Pick(Vocabulary.Adjectives)).Append(' ').Append(Pick(Vocabulary.Nouns)); break;
            case < 36: b.Append(Pick(Vocabulary.Nouns)).Append(" of the ").Append(Pick(Vocabulary.Nouns)); break;
            case < 48: b.Append("A ").Append(Pick(Vocabulary.Adjectives)).Append(' ').Append(Pick(Vocabulary.Nouns)).Append(" in ").Append(Pick(Vocabulary.Nouns)); break;
            case < 56: b.Append(Pick(Vocabulary.FirstNames)).Append("'s ").Append(Pick(Vocabulary.Nouns)); break;
            case < 64: b.Append(Pick(Vocabulary.Adjectives)).Append(' ').Append(Pick(Vocabulary.Nouns)).Append(": The ").Append(Pick(Vocabulary.Nouns)); break;
            // Unquoted commas inside a field.
            case < 71: b.Append(Pick(Vocabulary.Nouns)).Append(", ").Append(Pick(Vocabulary.Nouns)).Append(" and ").Append(Pick(Vocabulary.Nouns)); break;
            case < 76: b.Append(Pick(Vocabulary.Nouns)).Append(' ').Append(Pick(Vocabulary.RomanNumerals)); break;
            case < 80: b.Append(Pick(Vocabulary.Nouns)).Append(" & ").Append(Pick(Vocabulary.Nouns)); break;
            case < 84: b.Append(Pick(Vocabulary.Nouns)); break;
            case < 90: return ForeignTitle();
            default: return Pick(Vocabulary.NotableTitles);
        }
        return b.ToString();
    }

    private string ForeignTitle()
    {
        if (_random.Next(2) == 0)
            return Pick(Vocabulary.ForeignTitles);
        return _builder.Clear().Append(Pick(Vocabulary.ForeignPatternsStart)).Append(' ').Append(Pick(Vocabulary.ForeignWords)).ToString();
    }

    private string PersonName()
    {
        int roll = _random.Next(1000);
        if (roll < 40)
            return Pick(Vocabulary.ForeignNames);
        if (roll < 60)
            return Pick(Vocabulary.FirstNames); // mononyms
        var b = _builder.Clear().Append(Pick(Vocabulary.FirstNames)).Append(' ');
        if (roll < 160)
            b.Append((char)('A' + _random.Next(26))).Append(". ");
        else if (roll < 240)
            b.Append(Pick(Vocabulary.NameParticles)).Append(' ');
        b.Append(Pick(Vocabulary.LastNames));
        if (roll > 990)
            b.Append(" Jr.");
        return b.ToString();
    }

    private string Character()
    {
        int roll = _random.Next(10_000);
        if (roll < 2100)
            return Null;
        if (roll < 2105)
            return ""; // an empty character name is allowed and is not a null
        if (roll < 5500)
            return Pick(Vocabulary.FirstNames);
        if (roll < 7500)
            return Pick(Vocabulary.Characters);
        if (roll < 8500)
            return _builder.Clear().Append(Pick(Vocabulary.FirstNames)).Append(' ').Append(Pick(Vocabulary.LastNames)).ToString();
        if (roll < 9200)
        {
            // IMDB concatenates several characters played by one person without a separator.
            var b = _builder.Clear().Append(Pick(Vocabulary.FirstNames)).Append(' ').Append(Pick(Vocabulary.LastNames));
            b.Append(Pick(Vocabulary.FirstNames));
            if (_random.Next(2) == 0)
                b.Append(Pick(Vocabulary.Characters));
            return b.ToString();
        }
        if (roll < 9600)
            return _builder.Clear().Append(Pick(Vocabulary.FirstNames)).Append(" \"").Append(Pick(Vocabulary.Adjectives)).Append("\" ").Append(Pick(Vocabulary.LastNames)).ToString();
        return _builder.Clear().Append(Pick(Vocabulary.FirstNames)).Append(' ').Append(Pick(Vocabulary.LastNames)).Append(" (").Append(YearText[1900 + _random.Next(0, 120)]).Append(')').ToString();
    }

    private string GenreList()
    {
        // 1–3 distinct genres in alphabetical order, as IMDB lists them.
        int count = 1 + _random.Next(0, 3);
        Span<int> picked = stackalloc int[3];
        int n = 0;
        while (n < count)
        {
            int g = WeightedGenre();
            if (!picked[..n].Contains(g))
                picked[n++] = g;
        }
        picked[..n].Sort();
        var b = _builder.Clear();
        for (int i = 0; i < n; i++)
        {
            if (i > 0)
                b.Append(',');
            b.Append(Vocabulary.Genres[picked[i]]);
        }
        return b.ToString();
    }

    private int WeightedGenre()
    {
        int x = _random.Next(GenreWeightTotal);
        for (int i = 0; i < Vocabulary.GenreWeights.Length; i++)
        {
            x -= Vocabulary.GenreWeights[i];
            if (x < 0)
                return i;
        }
        return 0;
    }

    private string Professions(bool actress)
    {
        int extra = _random.Next(100) switch { < 45 => 0, < 80 => 1, _ => 2 };
        if (extra == 0)
            return actress ? "actress" : "actor";
        var b = _builder.Clear().Append(actress ? "actress" : "actor");
        int first = _random.Next(Vocabulary.Professions.Length);
        b.Append(',').Append(Vocabulary.Professions[first]);
        if (extra == 2)
        {
            int second = (first + 1 + _random.Next(Vocabulary.Professions.Length - 1)) % Vocabulary.Professions.Length;
            b.Append(',').Append(Vocabulary.Professions[second]);
        }
        return b.ToString();
    }

    private string KnownForIds()
    {
        int count = _random.Next(100) switch { < 10 => 1, < 20 => 2, < 35 => 3, _ => 4 };
        var b = _builder.Clear();
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
                b.Append(',');
            // Older ids have 7 digits, newer ones 8.
            int id = _random.Next(3) == 0 ? _random.Next(10_000_000, 30_000_000) : _random.Next(1, 10_000_000);
            b.Append("tt").Append(id.ToString("D7", CultureInfo.InvariantCulture));
        }
        return b.ToString();
    }

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private string Pick(string[] pool) => pool[_random.Next(pool.Length)];
}
