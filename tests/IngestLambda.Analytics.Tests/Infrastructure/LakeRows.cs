using System.Globalization;

namespace IngestLambda.Analytics.Tests.Infrastructure;

/// <summary>
/// Generated titles for a test lake, with nulls in every nullable column, quotes that a CSV reader must leave alone,
/// and artists shared between titles and datasets (so the artist rule of Q3 is exercised).
/// </summary>
internal static class LakeRows
{
    public const string MoviesHeader = "id|tituloPincipal|tituloOriginal|anoLancamento|tempoMinutos|genero|notaMedia|numeroVotos|generoArtista|personagem|nomeArtista|anoNascimento|anoFalecimento|profissao|titulosMaisConhecidos";
    public const string SeriesHeader = "id|tituloPincipal|tituloOriginal|anoLancamento|anoTermino|tempoMinutos|genero|notaMedia|numeroVotos|generoArtista|personagem|nomeArtista|anoNascimento|anoFalecimento|profissao|titulosMaisConhecidos";

    private static readonly string[] GenreNames = ["Drama", "Comedy", "Action", "Documentary", "Crime"];
    private static readonly string[] ProfessionNames = ["actor", "actress", "writer", "producer", "director", "soundtrack"];

    public static IReadOnlyList<Artist> Artists(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new Artist(
            Name: i % 7 == 0 ? $"Dwayne \"The Rock\" {i}" : i % 11 == 0 ? "\"" : $"Artist {i % 40}",
            Birth: random.Next(5) == 0 ? null : (1900 + random.Next(100)).ToString(CultureInfo.InvariantCulture),
            Death: random.Next(3) == 0 ? (1950 + random.Next(70)).ToString(CultureInfo.InvariantCulture) : null,
            Professions: random.Next(6) == 0 ? null : string.Join(',', ProfessionNames.OrderBy(_ => random.Next()).Take(1 + random.Next(3))),
            KnownTitles: random.Next(6) == 0 ? null : string.Join(',', Enumerable.Range(0, 1 + random.Next(6)).Select(k => $"tt{1000000 + random.Next(9000000)}"))))
            .ToList();
    }

    /// <param name="ids">The ids to generate (ids shared between days let the --all rule be tested).</param>
    public static IReadOnlyList<Title> Titles(int seed, IEnumerable<int> ids, IReadOnlyList<Artist> artists)
    {
        var random = new Random(seed);
        return ids.Select(id => new Title(
            Id: $"tt{id:D7}",
            Year: random.Next(8) == 0 ? null : (1990 + random.Next(8)).ToString(CultureInfo.InvariantCulture),
            Genres: random.Next(8) == 0 ? null : string.Join(',', GenreNames.OrderBy(_ => random.Next()).Take(1 + random.Next(3))),
            Rating: random.Next(8) == 0 ? null : (random.Next(101) / 10.0).ToString("0.0", CultureInfo.InvariantCulture),
            Votes: random.Next(8) == 0 ? null : random.Next(6) == 0 ? "0" : (5 + random.Next(2_000_000)).ToString(CultureInfo.InvariantCulture),
            Artists: Enumerable.Range(0, 1 + random.Next(4)).Select(_ => artists[random.Next(artists.Count)]).Distinct().ToList())
        {
            Character = random.Next(4) == 0 ? null : random.Next(3) == 0 ? "\"" : "",
        }).ToList();
    }

    /// <summary>The data lines of a file (no header), one per (title, artist), as docs/contracts.md ("Format") lays them out.</summary>
    public static IEnumerable<string> Lines(string dataset, IEnumerable<Title> titles) =>
        titles.SelectMany(title => title.Artists.Select(artist => string.Join('|', Fields(dataset, title, artist).Select(f => f ?? "\\N"))));

    private static IEnumerable<string?> Fields(string dataset, Title t, Artist a)
    {
        yield return t.Id;
        yield return t.Name;
        yield return t.Name + " (original)";
        yield return t.Year;
        if (dataset == "Series")
            yield return null; // anoTermino
        yield return t.Id.EndsWith('3') ? null : "90";
        yield return t.Genres;
        yield return t.Rating;
        yield return t.Votes;
        yield return t.Id.EndsWith('5') ? null : "actress";
        yield return t.Character;
        yield return a.Name;
        yield return a.Birth;
        yield return a.Death;
        yield return a.Professions;
        yield return a.KnownTitles;
    }
}
