// Ingestion bench (issue #3). Starts moto_server, lands a big synthetic movies file and compares, run by run:
//   baseline: a plain streamed GetObject (bytes discarded) plus a plain server-side CopyObject of the same object,
//             with the same SDK and client settings the function uses;
//   ingest:   the published Native AOT `bootstrap invoke` on an S3 event for that object (a fresh destination date
//             each run, so every run really copies), timed from outside (wall, includes process start) and inside
//             (the handler's durationMs), with its peak RSS from /usr/bin/time.
// Usage: dotnet run -c Release --project bench/ingest -- --bootstrap PATH [--mb 165] [--runs 5] [--file CSV] [--env NAME=VALUE]...
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

var bootstrap = Arg("--bootstrap") ?? throw new ArgumentException("--bootstrap PATH (the published AOT binary) is required");
var megabytes = int.Parse(Arg("--mb") ?? "165", CultureInfo.InvariantCulture);
var runs = int.Parse(Arg("--runs") ?? "5", CultureInfo.InvariantCulture);
var extraEnv = args.Select((a, i) => (a, i)).Where(p => p.a == "--env").Select(p => args[p.i + 1].Split('=', 2)).ToList();

var root = FindRoot();
var file = Arg("--file") ?? Path.Combine(Path.GetTempPath(), $"bench-movies-{megabytes}mb.csv");
if (!File.Exists(file))
    GenerateMovies(Path.Combine(root, "samples", "movies.csv"), file, megabytes * 1_000_000L);
var size = new FileInfo(file).Length;
Console.WriteLine($"file {file}: {size:N0} bytes; bootstrap {bootstrap}; {runs} runs; env: {string.Join(' ', extraEnv.Select(e => $"{e[0]}={e[1]}"))}");

var port = FreePort();
var endpoint = $"http://127.0.0.1:{port}";
using var moto = Process.Start(new ProcessStartInfo("moto_server", $"-H 127.0.0.1 -p {port}") { RedirectStandardError = true, RedirectStandardOutput = true })!;
moto.OutputDataReceived += (_, _) => { };
moto.ErrorDataReceived += (_, _) => { };
moto.BeginOutputReadLine();
moto.BeginErrorReadLine();
try
{
    // The function's client settings (S3ClientFactory) with the bench's credentials.
    using var s3 = new AmazonS3Client(new BasicAWSCredentials("bench", "bench"),
        new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", Timeout = TimeSpan.FromMinutes(15) });
    await WaitForAsync(s3);
    const string bucket = "bench-lake";
    await s3.PutBucketAsync(bucket);
    await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
    var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "landing/movies.csv", FilePath = file, ContentType = "text/csv" });

    var baseline = new List<double>();
    var ingestWall = new List<double>();
    var ingestHandler = new List<double>();
    var rss = new List<long>();
    var pairRatios = new List<double>();
    for (var run = 0; run < runs + 1; run++) // run 0 warms moto and the page cache; not counted
    {
        var b = await BaselineAsync(s3, bucket, run);
        var day = (run + 1).ToString("00", CultureInfo.InvariantCulture);
        var eventJson = EventJson(bucket, size, put.ETag.Trim('"'), put.VersionId, $"2026-01-{day}T10:00:00.000Z");
        var (wall, handler, peak, outcome) = await IngestAsync(eventJson);
        Console.WriteLine($"run {run}: baseline {b.Total:F0} ms (GET {b.Get:F0} ms) | ingest {outcome} wall {wall:F0} ms, handler {handler:F0} ms, peak RSS {peak / 1024.0:F1} MiB");
        if (run == 0)
            continue;
        baseline.Add(b.Total);
        pairRatios.Add(handler / b.Total);
        ingestWall.Add(wall);
        ingestHandler.Add(handler);
        rss.Add(peak);
    }

    // The same event again: a redelivery is recognised from metadata without reading the object.
    var (dupWall, dupHandler, dupPeak, dupOutcome) = await IngestAsync(EventJson(bucket, size, put.ETag.Trim('"'), put.VersionId, $"2026-01-{(runs + 1):00}T10:00:00.000Z"));
    Console.WriteLine($"redelivered event: {dupOutcome} wall {dupWall:F0} ms, handler {dupHandler:F0} ms, peak RSS {dupPeak / 1024.0:F1} MiB");

    double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
    Console.WriteLine();
    Console.WriteLine($"median baseline (GET + CopyObject): {Median(baseline):F0} ms");
    Console.WriteLine($"median ingest handler:              {Median(ingestHandler):F0} ms  ratio {Median(ingestHandler) / Median(baseline):F2}x");
    Console.WriteLine($"median ingest wall (process):       {Median(ingestWall):F0} ms  ratio {Median(ingestWall) / Median(baseline):F2}x");
    Console.WriteLine($"median of per-run ratios (handler / baseline of the same run): {Median(pairRatios):F2}x");
    Console.WriteLine($"peak RSS of bootstrap invoke:       {rss.Max() / 1024.0:F1} MiB (max over runs)");
}
finally
{
    moto.Kill(entireProcessTree: true);
}

async Task<(double Total, double Get)> BaselineAsync(IAmazonS3 s3, string bucket, int run)
{
    var clock = Stopwatch.StartNew();
    using (var get = await s3.GetObjectAsync(bucket, "landing/movies.csv"))
    {
        var buffer = new byte[64 * 1024];
        while (await get.ResponseStream.ReadAsync(buffer) > 0)
        {
        }
    }
    var getMs = clock.Elapsed.TotalMilliseconds;
    await s3.CopyObjectAsync(new CopyObjectRequest
    {
        SourceBucket = bucket, SourceKey = "landing/movies.csv",
        DestinationBucket = bucket, DestinationKey = $"baseline/{run}/movies.csv",
    });
    return (clock.Elapsed.TotalMilliseconds, getMs);
}

async Task<(double Wall, double Handler, long PeakKiB, string Outcome)> IngestAsync(string eventJson)
{
    var eventFile = Path.Combine(Path.GetTempPath(), $"bench-event-{Guid.NewGuid():N}.json");
    await File.WriteAllTextAsync(eventFile, eventJson);
    var rssFile = eventFile + ".rss";
    var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { "-f", "%M", "-o", rssFile, bootstrap, "invoke", "--event", eventFile })
        start.ArgumentList.Add(a);
    start.Environment["AWS_ENDPOINT_URL"] = endpoint;
    start.Environment["AWS_ACCESS_KEY_ID"] = "bench";
    start.Environment["AWS_SECRET_ACCESS_KEY"] = "bench";
    start.Environment["AWS_REGION"] = "us-east-1";
    start.Environment["LOG_LEVEL"] = "INFO";
    foreach (var e in extraEnv)
        start.Environment[e[0]] = e[1];
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var wall = clock.Elapsed.TotalMilliseconds;
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"bootstrap invoke exited {process.ExitCode}: {await stderr}");
    using var result = JsonDocument.Parse(await stdout);
    var record = result.RootElement.GetProperty("records")[0];
    var peak = long.Parse(File.ReadAllLines(rssFile).Last(l => l.Length > 0).Trim(), CultureInfo.InvariantCulture);
    File.Delete(eventFile);
    File.Delete(rssFile);
    // The record's log line says where the time went.
    var logLine = (await stderr).Split('\n').FirstOrDefault(l => l.Contains("\"outcome\"", StringComparison.Ordinal));
    var split = "";
    if (logLine is not null)
    {
        using var log = JsonDocument.Parse(logLine);
        split = $" (read+validate {log.RootElement.GetProperty("validationMs").GetInt64()} ms, copy {log.RootElement.GetProperty("copyMs").GetInt64()} ms)";
    }
    return (wall, record.GetProperty("durationMs").GetDouble(), peak, record.GetProperty("outcome").GetString()! + split);
}

static string EventJson(string bucket, long size, string eTag, string versionId, string eventTime)
{
    var obj = new Dictionary<string, object> { ["key"] = "landing/movies.csv", ["size"] = size, ["eTag"] = eTag, ["versionId"] = versionId };
    var record = new Dictionary<string, object>
    {
        ["eventVersion"] = "2.1", ["eventSource"] = "aws:s3", ["awsRegion"] = "us-east-1", ["eventTime"] = eventTime, ["eventName"] = "ObjectCreated:Put",
        ["s3"] = new Dictionary<string, object> { ["s3SchemaVersion"] = "1.0", ["bucket"] = new Dictionary<string, object> { ["name"] = bucket }, ["object"] = obj },
    };
    return JsonSerializer.Serialize(new Dictionary<string, object> { ["Records"] = new[] { record } });
}

static void GenerateMovies(string sample, string target, long atLeastBytes)
{
    // The sample's data rows repeated under one header: valid data of the real file's size.
    var text = File.ReadAllText(sample);
    var header = text[..(text.IndexOf('\n') + 1)];
    var rows = Encoding.UTF8.GetBytes(text[header.Length..].TrimEnd('\n') + "\n");
    using var output = File.Create(target);
    output.Write(Encoding.UTF8.GetBytes(header));
    while (output.Length < atLeastBytes)
        output.Write(rows);
}

static async Task WaitForAsync(IAmazonS3 s3)
{
    for (var i = 0; ; i++)
    {
        try
        {
            await s3.ListBucketsAsync();
            return;
        }
        catch (Exception) when (i < 300)
        {
            await Task.Delay(100);
        }
    }
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "IngestLambda.sln")))
            return dir.FullName;
    }
    throw new InvalidOperationException("IngestLambda.sln not found above the bench");
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
