using System.IO.Compression;
using System.Text;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Runtime;

/// <summary>
/// Files shaped like the ones the function meets, for comparing the arm64 binary's reports with the x64 binary's: the
/// samples, CRLF with a BOM, gzip (whole and truncated), each file-level error, one movies file carrying every other
/// row-level error beside valid 2-, 3- and 4-byte UTF-8, and one file per kind of invalid UTF-8. So each vector path
/// (ByteMasks, Utf8Blocks, the masked field rules) meets both its common and its uncommon case.
/// </summary>
internal static class Arm64Corpus
{
    /// <summary>Invalid UTF-8, one kind a file: after a file's first invalid sequence the validator checks the rest line by line, off the vector path.</summary>
    private static readonly (string File, string Column, byte[] Bytes)[] InvalidUtf8 =
    [
        ("utf8-lead-alone.csv", "tituloPincipal", [0xC3, 0x28]),     // a 2-byte lead without its continuation
        ("utf8-c0.csv", "tituloOriginal", [0xC0, 0xAF]),             // C0: an overlong 2-byte form
        ("utf8-overlong.csv", "tituloOriginal", [0xE0, 0x80, 0xAF]), // an overlong 3-byte form
        ("utf8-surrogate.csv", "personagem", [0xED, 0xA0, 0x80]),    // a UTF-16 surrogate
        ("utf8-above-max.csv", "nomeArtista", [0xF4, 0x90, 0x80, 0x80]), // above U+10FFFF
        ("utf8-ff.csv", "personagem", [0x41, 0xFF, 0x42]),           // FF never occurs in UTF-8
    ];

    /// <summary>Each file's name, the outcome both binaries must report and the error codes it must carry.</summary>
    public static TheoryData<string, string, string> Expectations
    {
        get
        {
            var expectations = new TheoryData<string, string, string>
            {
                { "movies.csv", "accepted", "" },
                { "series.csv", "accepted", "" },
                { "series-crlf-bom.csv", "accepted", "" },
                { "series.csv.gz", "accepted", "" },
                { "truncated.csv.gz", "rejected", "invalid-gzip" },
                { "empty.csv", "rejected", "empty-file" },
                { "header-only.csv", "rejected", "no-data-rows" },
                { "unknown-header.csv", "rejected", "unknown-header" },
                { "row-errors.csv", "rejected", "nul-byte bare-cr field-count line-too-long null-not-allowed empty-field invalid-value" },
            };
            foreach (var (file, _, _) in InvalidUtf8)
                expectations.Add(file, "rejected", "invalid-utf8");
            return expectations;
        }
    }

    /// <summary>Writes every file of <see cref="Expectations"/> into <paramref name="dir"/>.</summary>
    public static void WriteTo(string dir)
    {
        var movies = new Sample(File.ReadAllBytes(RepoPaths.Samples("movies.csv")));
        var series = File.ReadAllBytes(RepoPaths.Samples("series.csv"));
        var gzipped = Gzip(series);

        File.WriteAllBytes(Path.Combine(dir, "movies.csv"), movies.Bytes);
        File.WriteAllBytes(Path.Combine(dir, "series.csv"), series);
        File.WriteAllBytes(Path.Combine(dir, "series-crlf-bom.csv"), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(series).ReplaceLineEndings("\r\n"))]);
        File.WriteAllBytes(Path.Combine(dir, "series.csv.gz"), gzipped);
        File.WriteAllBytes(Path.Combine(dir, "truncated.csv.gz"), gzipped[..(gzipped.Length / 2)]);
        File.WriteAllBytes(Path.Combine(dir, "empty.csv"), []);
        File.WriteAllText(Path.Combine(dir, "header-only.csv"), movies.Header + "\n");
        File.WriteAllText(Path.Combine(dir, "unknown-header.csv"), movies.Header.Replace("notaMedia", "rating", StringComparison.Ordinal) + "\n" + movies.Row(1) + "\n");
        File.WriteAllBytes(Path.Combine(dir, "row-errors.csv"), movies.Interleaved(
        [
            Utf8(movies.With(2, "tituloPincipal", "Cidade de Deus 城市 🎬 ação")), // valid 2-, 3- and 4-byte UTF-8
            movies.WithBytes(7, "personagem", [0x00]),                               // nul-byte
            Utf8(movies.With(8, "tituloOriginal", "Carriage\rReturn")),              // bare-cr
            Utf8(string.Join('|', movies.Row(9).Split('|')[..^2])),                 // field-count
            Utf8(movies.With(10, "personagem", new string('x', 1024 * 1024 + 1))),   // line-too-long (MAX_LINE_BYTES 1 MiB)
            Utf8(movies.With(11, "id", "\\N")),                                      // null-not-allowed
            Utf8(movies.With(12, "tituloPincipal", "")),                             // empty-field
            Utf8(movies.With(13, "notaMedia", "7,5")),                               // invalid-value
            Utf8(movies.With(14, "anoLancamento", "19x8")),
            Utf8(movies.With(15, "numeroVotos", "12 345")),
            Utf8(movies.With(16, "tempoMinutos", "-5")),
        ]));
        for (var i = 0; i < InvalidUtf8.Length; i++)
        {
            var (file, column, bytes) = InvalidUtf8[i];
            File.WriteAllBytes(Path.Combine(dir, file), movies.Interleaved([movies.WithBytes(3 + i, column, bytes)]));
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }

    /// <summary>A sample file, its rows and rows made from them.</summary>
    private sealed class Sample(byte[] bytes)
    {
        private readonly string[] _lines = Encoding.UTF8.GetString(bytes).Split('\n');

        public byte[] Bytes { get; } = bytes;

        public string Header => Row(0);

        /// <summary>Line <paramref name="index"/> (0 is the header) without its line ending.</summary>
        public string Row(int index) => _lines[index].TrimEnd('\r');

        /// <summary>Row <paramref name="index"/> with <paramref name="column"/> set to <paramref name="value"/>.</summary>
        public string With(int index, string column, string value)
        {
            var fields = Row(index).Split('|');
            fields[Array.IndexOf(Header.Split('|'), column)] = value;
            return string.Join('|', fields);
        }

        /// <summary>Row <paramref name="index"/> with <paramref name="column"/> holding raw bytes (not necessarily UTF-8).</summary>
        public byte[] WithBytes(int index, string column, byte[] raw)
        {
            var text = Utf8(With(index, column, "\u0001"));
            var at = Array.IndexOf(text, (byte)1);
            return [.. text[..at], .. raw, .. text[(at + 1)..]];
        }

        /// <summary>The header, then three valid rows before each broken row and twenty after the last.</summary>
        public byte[] Interleaved(byte[][] broken)
        {
            using var file = new MemoryStream();
            file.Write(Utf8(Header + "\n"));
            var row = 20;
            foreach (var line in broken)
            {
                for (var end = row + 3; row < end; row++)
                    file.Write(Utf8(Row(row) + "\n"));
                file.Write(line);
                file.WriteByte((byte)'\n');
            }
            for (var end = row + 20; row < end; row++)
                file.Write(Utf8(Row(row) + "\n"));
            return file.ToArray();
        }
    }
}
