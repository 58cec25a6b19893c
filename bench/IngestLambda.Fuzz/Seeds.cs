using System.IO.Compression;
using System.Text;

namespace IngestLambda.Fuzz;

/// <summary>The starting corpus: small valid files of each dataset, plain and gzip, and a few known edge shapes.</summary>
internal static class Seeds
{
    private const string Movies = "id|tituloPincipal|tituloOriginal|anoLancamento|tempoMinutos|genero|notaMedia|numeroVotos|generoArtista|personagem|nomeArtista|anoNascimento|anoFalecimento|profissao|titulosMaisConhecidos";
    private const string Series = "id|tituloPincipal|tituloOriginal|anoLancamento|anoTermino|tempoMinutos|genero|notaMedia|numeroVotos|generoArtista|personagem|nomeArtista|anoNascimento|anoFalecimento|profissao|titulosMaisConhecidos";
    private const string MovieRow = "tt0000009|Hamlet, Prince|\"Crocodile\" Dundee|1898|111|Drama,Music|7.5|41|actress|Ofélia|Agnès Santos|\\N|2013|actress,producer|tt28568770,tt5727084";
    private const string SeriesRow = "tt0000010|千と千尋|🎬|2001|\\N|24|Anime|10.0|9|actor||Ana|1970|\\N|actor|tt0000010";

    public static void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var movies = Encoding.UTF8.GetBytes($"{Movies}\n{MovieRow}\n{MovieRow.Replace("tt0000009", "tt0000011", StringComparison.Ordinal)}\n");
        var series = Encoding.UTF8.GetBytes($"\uFEFF{Series}\r\n{SeriesRow}\r\n");
        Save(directory, "movies.csv", movies);
        Save(directory, "series-bom-crlf.csv", series);
        Save(directory, "movies.csv.gz", Gzip(movies));
        Save(directory, "two-members.csv.gz", [.. Gzip(movies[..40]), .. Gzip(movies[40..])]);
        Save(directory, "empty-member.csv.gz", Convert.FromHexString("1f8b080000000000000303000000000000000000"));
        Save(directory, "bad-rows.csv", Encoding.UTF8.GetBytes($"{Movies}\n\n|||\ntt1|\0|\r|x\n"));
    }

    private static void Save(string directory, string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(directory, name), bytes);

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }
}
