using System.Text;

namespace IngestLambda.Tests.Infrastructure;

/// <summary>The sample files and small hand-made variants.</summary>
internal static class TestFiles
{
    public static byte[] Movies { get; } = File.ReadAllBytes(RepoPaths.Samples("movies.csv"));
    public static byte[] Series { get; } = File.ReadAllBytes(RepoPaths.Samples("series.csv"));

    /// <summary>The movies header and one row whose notaMedia uses a decimal comma (line 2, column notaMedia).</summary>
    public static byte[] BadMovies { get; } = MakeBadMovies();

    /// <summary>About 11 MiB of valid movies rows: three 5 MiB parts in a multipart copy.</summary>
    public static byte[] LargeMovies { get; } = Repeat(Movies, 11 * 1024 * 1024);

    private static byte[] MakeBadMovies()
    {
        var lines = Encoding.UTF8.GetString(Movies).Split('\n');
        var fields = lines[1].Split('|');
        fields[6] = "7,5";
        return Encoding.UTF8.GetBytes($"{lines[0]}\n{string.Join('|', fields)}\n");
    }

    internal static byte[] Repeat(byte[] csv, int atLeastBytes)
    {
        var text = Encoding.UTF8.GetString(csv);
        var header = text[..(text.IndexOf('\n') + 1)];
        var rows = text[header.Length..];
        if (!rows.EndsWith('\n'))
            rows += "\n";
        var builder = new StringBuilder(header);
        while (builder.Length < atLeastBytes)
            builder.Append(rows);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
