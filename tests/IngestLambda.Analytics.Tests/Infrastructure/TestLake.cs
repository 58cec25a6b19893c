using System.IO.Compression;
using System.Text;

namespace IngestLambda.Analytics.Tests.Infrastructure;

/// <summary>One file the test lake holds below the raw prefix, with the titles written into it.</summary>
internal sealed record LakeFile(string Dataset, DateOnly Date, string Path, IReadOnlyList<Title> Titles);

/// <summary>
/// A lake folder laid out like the bucket: Movies on two days (the newest with a plain file, a nested BOM+CRLF file
/// and a .csv.gz), a later day holding no data file, Series on one day, and files outside Raw (landing, quarantine,
/// manifests) and in an unknown dataset's folder that a run must never read.
/// </summary>
internal sealed class TestLake : IDisposable
{
    public static readonly DateOnly MoviesOld = new(2026, 11, 24);
    public static readonly DateOnly SeriesDay = new(2026, 11, 25);
    public static readonly DateOnly MoviesNew = new(2026, 11, 26);

    public string Root { get; } = Directory.CreateTempSubdirectory("answers-lake-").FullName;

    public List<LakeFile> Files { get; } = [];

    public TestLake()
    {
        var artists = LakeRows.Artists(seed: 7, count: 60);
        Add("Movies", MoviesOld, "movies.csv", LakeRows.Titles(1, Enumerable.Range(1, 60), artists));
        // Ids 40..60 again, with new values: for --all the newest day's must win.
        Add("Movies", MoviesNew, "movies.csv", LakeRows.Titles(2, Enumerable.Range(40, 61), artists));
        Add("Movies", MoviesNew, "vendor-a/daily.csv", LakeRows.Titles(3, Enumerable.Range(101, 30), artists), bom: true, crlf: true);
        Add("Movies", MoviesNew, "vendor-b/deep/extra.csv.gz", LakeRows.Titles(4, Enumerable.Range(131, 20), artists));
        Add("Series", SeriesDay, "series.csv", LakeRows.Titles(5, Enumerable.Range(200, 61), artists));

        // Not data: a later Movies date folder without a .csv, another dataset, and everything outside Raw.
        var decoy = Encoding.UTF8.GetBytes(LakeRows.MoviesHeader + "\n" + string.Join('\n', LakeRows.Lines("Movies", LakeRows.Titles(9, Enumerable.Range(900, 50), artists))) + "\n");
        Write("Raw/Local/CSV/Movies/2026/11/27/notes.txt", decoy);
        Write("Raw/Local/CSV/Other/2026/11/28/other.csv", decoy);
        Write("Raw/Local/CSV/Movies/movies.csv", decoy);
        Write("landing/movies.csv", decoy);
        Write("quarantine/2026/11/28/movies.csv", decoy);
        Write("manifests/Movies/2026/11/28/movies.csv.json", decoy);
    }

    public static string Key(LakeFile file) =>
        $"Raw/Local/CSV/{file.Dataset}/{file.Date:yyyy'/'MM'/'dd}/{file.Path}";

    public void Add(string dataset, DateOnly date, string path, IReadOnlyList<Title> titles, bool bom = false, bool crlf = false)
    {
        var file = new LakeFile(dataset, date, path, titles);
        var newline = crlf ? "\r\n" : "\n";
        var header = dataset == "Movies" ? LakeRows.MoviesHeader : LakeRows.SeriesHeader;
        var text = header + newline + string.Join(newline, LakeRows.Lines(dataset, titles)) + newline;
        var bytes = (bom ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
                gzip.Write(bytes);
            bytes = buffer.ToArray();
        }
        Write(Key(file), bytes);
        Files.Add(file);
    }

    public void Write(string key, byte[] bytes)
    {
        var path = Path.Combine(Root, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
