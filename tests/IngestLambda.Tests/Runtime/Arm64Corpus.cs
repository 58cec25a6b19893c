using System.IO.Compression;
using System.Text;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Runtime;

/// <summary>
/// Files shaped like the ones the function meets, for comparing the arm64 binary's reports with the x64 binary's: the
/// samples, gzip (whole and truncated), each file-level error, and one movies file carrying every row-level error
/// among valid rows with 2-, 3- and 4-byte UTF-8, so each vector path (ByteMasks, Utf8Blocks, masked field rules)
/// meets both its common and its uncommon case.
/// </summary>
internal static class Arm64Corpus
{
    /// <summary>Each file's name, the outcome both binaries must report and the error codes it must carry.</summary>
    public static TheoryData<string, string, string> Expectations => new()
    {
        { "movies.csv", "accepted", "" },
        { "series.csv", "accepted", "" },
        { "series-crlf-bom.csv", "accepted", "" },
        { "series.csv.gz", "accepted", "" },
        { "truncated.csv.gz", "rejected", "invalid-gzip" },
        { "empty.csv", "rejected", "empty-file" },
        { "header-only.csv", "rejected", "no-data-rows" },
        { "unknown-header.csv", "rejected", "unknown-header" },
        { "row-errors.csv", "rejected", "invalid-utf8 nul-byte bare-cr field-count line-too-long null-not-allowed empty-field invalid-value" },
    };

    /// <summary>Writes every file of <see cref="Expectations"/> into <paramref name="dir"/>.</summary>
    public static void WriteTo(string dir)
    {
        var movies = File.ReadAllBytes(RepoPaths.Samples("movies.csv"));
        var series = File.ReadAllBytes(RepoPaths.Samples("series.csv"));
        var gzipped = Gzip(series);
        var moviesHeader = Encoding.UTF8.GetString(movies)[..Encoding.UTF8.GetString(movies).IndexOf('\n')];
        var seriesText = Encoding.UTF8.GetString(series);

        File.WriteAllBytes(Path.Combine(dir, "movies.csv"), movies);
        File.WriteAllBytes(Path.Combine(dir, "series.csv"), series);
        File.WriteAllBytes(Path.Combine(dir, "series-crlf-bom.csv"), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(seriesText.ReplaceLineEndings("\r\n"))]);
        File.WriteAllBytes(Path.Combine(dir, "series.csv.gz"), gzipped);
        File.WriteAllBytes(Path.Combine(dir, "truncated.csv.gz"), gzipped[..(gzipped.Length / 2)]);
        File.WriteAllBytes(Path.Combine(dir, "empty.csv"), []);
        File.WriteAllText(Path.Combine(dir, "header-only.csv"), moviesHeader + "\n");
        File.WriteAllText(Path.Combine(dir, "unknown-header.csv"), moviesHeader.Replace("notaMedia", "rating", StringComparison.Ordinal) + "\n" + Row(movies, 1) + "\n");
        File.WriteAllBytes(Path.Combine(dir, "row-errors.csv"), RowErrors(movies, moviesHeader));
    }

    /// <summary>The movies header, then valid sample rows with one broken row after every three.</summary>
    private static byte[] RowErrors(byte[] movies, string header)
    {
        var columns = header.Split('|');
        string Broken(int row, string column, string value)
        {
            var fields = Row(movies, row).Split('|');
            fields[Array.IndexOf(columns, column)] = value;
            return string.Join('|', fields);
        }
        byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
        byte[] WithRawBytes(int row, string column, byte[] raw) // a field holding bytes that are not valid UTF-8
        {
            var marker = "\u0001";
            var text = Bytes(Broken(row, column, marker));
            var at = Array.IndexOf(text, (byte)1);
            return [.. text[..at], .. raw, .. text[(at + 1)..]];
        }

        byte[][] broken =
        [
            Bytes(Broken(2, "tituloPincipal", "Cidade de Deus 城市 🎬 ação")), // valid 3- and 4-byte UTF-8
            WithRawBytes(3, "tituloPincipal", [0xC3, 0x28]),                 // a 2-byte lead without its continuation
            WithRawBytes(4, "tituloOriginal", [0xE0, 0x80, 0xAF]),           // overlong
            WithRawBytes(5, "personagem", [0xED, 0xA0, 0x80]),               // a UTF-16 surrogate
            WithRawBytes(6, "nomeArtista", [0xF4, 0x90, 0x80, 0x80]),        // above U+10FFFF
            WithRawBytes(17, "tituloOriginal", [0xC0, 0xAF]),                // C0: an overlong 2-byte lead
            WithRawBytes(18, "personagem", [0x41, 0xFF, 0x42]),              // FF never occurs in UTF-8
            WithRawBytes(7, "personagem", [0x00]),                           // nul-byte
            Bytes(Broken(8, "tituloOriginal", "Carriage\rReturn")),          // bare-cr
            Bytes(string.Join('|', Row(movies, 9).Split('|')[..^2])),        // field-count
            Bytes(Broken(10, "personagem", new string('x', 1024 * 1024 + 1))), // line-too-long (MAX_LINE_BYTES 1 MiB)
            Bytes(Broken(11, "id", "\\N")),                                  // null-not-allowed
            Bytes(Broken(12, "tituloPincipal", "")),                         // empty-field
            Bytes(Broken(13, "notaMedia", "7,5")),                           // invalid-value
            Bytes(Broken(14, "anoLancamento", "19x8")),
            Bytes(Broken(15, "numeroVotos", "12 345")),
            Bytes(Broken(16, "tempoMinutos", "-5")),
        ];
        using var file = new MemoryStream();
        file.Write(Bytes(header + "\n"));
        for (var i = 0; i < broken.Length; i++)
        {
            for (var row = 20 + 3 * i; row < 23 + 3 * i; row++)
                file.Write(Bytes(Row(movies, row) + "\n"));
            file.Write(broken[i]);
            file.WriteByte((byte)'\n');
        }
        return file.ToArray();
    }

    /// <summary>Line <paramref name="index"/> (0 is the header) of a sample, without its line ending.</summary>
    private static string Row(byte[] sample, int index) => Encoding.UTF8.GetString(sample).Split('\n')[index].TrimEnd('\r');

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }
}
