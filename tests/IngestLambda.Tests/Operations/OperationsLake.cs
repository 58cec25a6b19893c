using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Host.Operations;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Operations;

/// <summary>The bucket of issue #13's tests and helpers to run the operator commands on it and read their output.</summary>
internal static class OperationsLake
{
    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }

    public static byte[] MoviesGz { get; } = Gzip(TestFiles.Movies);

    /// <summary>A .csv.gz cut in half: an interrupted upload.</summary>
    public static byte[] TruncatedGz { get; } = MoviesGz[..(MoviesGz.Length / 2)];

    /// <summary>What each landing key holds; <c>landing/already.csv</c> is also ingested by its own event first.</summary>
    public static readonly (string Key, byte[] Body)[] Files =
    [
        ("landing/movies.csv", TestFiles.Movies),
        ("landing/bad/movies-bad.csv", TestFiles.BadMovies),
        ("landing/team-a/2026/series.csv", TestFiles.Series),
        ("landing/already.csv", TestFiles.Movies),
        ("landing/movies.csv.gz", MoviesGz),
        ("landing/broken.csv.gz", TruncatedGz),
        ("landing/notes.txt", "not a data file\n"u8.ToArray()),
    ];

    /// <summary>Lands every file, plus one outside the landing prefix, and ingests landing/already.csv through its event.</summary>
    public static async Task FillAsync(TestLake lake)
    {
        foreach (var (key, body) in Files)
            await lake.PutAsync(key, body);
        await lake.PutAsync("outside/other.csv", TestFiles.Movies);
        var head = await lake.HeadAsync("landing/already.csv");
        var record = await lake.InvokeOneAsync(EventJson.S3Event(lake.Bucket, "landing/already.csv", head.ETag, head.VersionId, TestFiles.Movies.Length,
            eventTime: EventTimeOf(head.LastModified!.Value)));
        Assert.Equal(Outcomes.Accepted, record.Outcome);
    }

    /// <summary>The date folder backfill uses for a key: its LastModified in UTC.</summary>
    public static async Task<string> DatePathAsync(TestLake lake, string key) =>
        (await lake.HeadAsync(key)).LastModified!.Value.ToUniversalTime().ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture);

    public static string EventTimeOf(DateTime lastModified) =>
        lastModified.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Runs backfill over landing/ (with <paramref name="trustedOnly"/>, over Raw) and returns its results by key.</summary>
    public static async Task<(Dictionary<string, RecordResult> Results, string Stderr, bool AnyFailed)> BackfillAsync(
        TestLake lake, IngestConfig? config = null, int concurrency = 4, bool dryRun = false, bool reprocess = false, bool trustedOnly = false)
    {
        using var function = lake.Function(config);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var output = new OperationOutput("backfill", stdout, stderr, showProgress: false, TimeProvider.System);
        var prefix = trustedOnly ? function.Config.Prefixes.Raw : "landing/";
        await new Backfill(function, lake.S3, output).RunAsync(new BackfillRequest(lake.Bucket, prefix, concurrency, dryRun, reprocess, trustedOnly), CancellationToken.None);
        output.Summary();
        return (ParseLines(stdout.ToString()).ToDictionary(r => r.Key!), stderr.ToString(), output.AnyFailed);
    }

    public static List<RecordResult> ParseLines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize(line, IngestResultJsonContext.Default.RecordResult)!)
            .ToList();
}
