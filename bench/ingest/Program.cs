// Ingestion bench (issues #3, #12). Starts moto_server, lands a big synthetic movies file and measures, run by run,
// side by side:
//   plain GET:  curl streaming the object to /dev/null (outside our code path and the .NET SDK): wall and CPU;
//   SDK GET:    a bare AWSSDK.S3 GetObject read to the end (what the SDK's own wrappers cost; reference only);
//   raw GET:    HttpClient alone on the same URL as curl, bytes discarded (.NET's HTTP stack without the SDK; reference only);
//   copy:       one server-side CopyObject of the object;
//   local:      `bootstrap validate FILE` of the same bytes from the page cache: wall and CPU;
//   ingest:     the published Native AOT `bootstrap invoke` on an S3 event for that object (a fresh destination date
//               each run, so every run really copies): the handler's durationMs and its read + validate and copy
//               split, the process's wall, CPU (user+sys) and peak RSS from /usr/bin/time.
// Targets (#12): read + validate <= 1.3x max(plain GET, local validate); handler <= 1.2x (plain GET + CopyObject).
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

    // moto refuses anonymous reads: curl gets a presigned URL (signed locally by the SDK, no request made).
    var presigned = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
    {
        BucketName = bucket, Key = "landing/movies.csv", Verb = HttpVerb.GET, Protocol = Protocol.HTTP, Expires = DateTime.UtcNow.AddHours(2),
    });
    using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(15) };
    var rows = new List<Run>();
    for (var run = 0; run < runs + 1; run++) // run 0 warms moto and the page cache; not counted
    {
        var curl = Timed("curl", "-s", "-f", "-o", "/dev/null", presigned);
        var sdkGet = await SdkGetAsync(s3, bucket);
        var rawGet = await RawHttpGetAsync(http, presigned);
        var copy = await CopyAsync(s3, bucket, run);
        var local = Timed(bootstrap, "validate", file);
        var day = (run + 1).ToString("00", CultureInfo.InvariantCulture);
        var eventJson = EventJson(bucket, size, put.ETag.Trim('"'), put.VersionId, $"2026-01-{day}T10:00:00.000Z");
        var ingest = await IngestAsync(eventJson);
        var row = new Run(curl, sdkGet, rawGet, copy, local, ingest);
        Console.WriteLine($"run {run}: plain GET {curl.WallMs:F0} ms ({curl.CpuS:F2} CPU-s) | SDK GET {sdkGet:F0} ms | raw HttpClient GET {rawGet:F0} ms | CopyObject {copy:F0} ms | "
            + $"local validate {local.WallMs:F0} ms ({local.CpuS:F2} CPU-s) | ingest {ingest.Outcome}: handler {ingest.HandlerMs:F0} ms "
            + $"(read+validate {ingest.ReadValidateMs} ms, copy {ingest.CopyMs} ms), wall {ingest.Wall.WallMs:F0} ms, {ingest.Wall.CpuS:F2} CPU-s, "
            + $"peak RSS {ingest.PeakKiB / 1024.0:F1} MiB | read+validate / max(GET, local) {row.ReadRatio:F2}x, handler / (GET + copy) {row.IngestRatio:F2}x");
        if (run > 0)
            rows.Add(row);
    }

    // The same event again: a redelivery is recognised from metadata without reading the object.
    var dup = await IngestAsync(EventJson(bucket, size, put.ETag.Trim('"'), put.VersionId, $"2026-01-{(runs + 1):00}T10:00:00.000Z"));
    Console.WriteLine($"redelivered event: {dup.Outcome} wall {dup.Wall.WallMs:F0} ms, handler {dup.HandlerMs:F0} ms, peak RSS {dup.PeakKiB / 1024.0:F1} MiB");

    double Best(Func<Run, double> f) => rows.Min(f);
    double Median(Func<Run, double> f) => rows.Select(f).Order().ElementAt(rows.Count / 2);
    void Line(string name, Func<Run, double> f, string unit) => Console.WriteLine($"{name,-44} best {Best(f),8:F2} {unit}   median {Median(f),8:F2} {unit}");
    Console.WriteLine();
    Console.WriteLine($"{rows.Count} counted runs ({size:N0} bytes):");
    Line("plain GET (curl) wall", r => r.Curl.WallMs, "ms");
    Line("plain GET (curl) CPU", r => r.Curl.CpuS, "s ");
    Line("bare SDK GetObject wall", r => r.SdkGetMs, "ms");
    Line("raw HttpClient GET wall", r => r.RawGetMs, "ms");
    Line("CopyObject wall", r => r.CopyMs, "ms");
    Line("local bootstrap validate wall", r => r.Local.WallMs, "ms");
    Line("local bootstrap validate CPU", r => r.Local.CpuS, "s ");
    Line("ingest read + validate (validationMs)", r => r.Ingest.ReadValidateMs, "ms");
    Line("ingest handler (durationMs)", r => r.Ingest.HandlerMs, "ms");
    Line("ingest process wall", r => r.Ingest.Wall.WallMs, "ms");
    Line("ingest process CPU (user+sys)", r => r.Ingest.Wall.CpuS, "s ");
    Line("read+validate / max(plain GET, local)", r => r.ReadRatio, "x ");
    Line("handler / (plain GET + CopyObject)", r => r.IngestRatio, "x ");
    Console.WriteLine($"peak RSS of bootstrap invoke: {rows.Max(r => r.Ingest.PeakKiB) / 1024.0:F1} MiB (max over runs)");
    Console.WriteLine("(ratios are per run, from the steps of the same run; best and median over runs)");
}
finally
{
    moto.Kill(entireProcessTree: true);
}

static async Task<double> SdkGetAsync(IAmazonS3 s3, string bucket)
{
    var clock = Stopwatch.StartNew();
    using var get = await s3.GetObjectAsync(bucket, "landing/movies.csv");
    var buffer = new byte[64 * 1024];
    while (await get.ResponseStream.ReadAsync(buffer) > 0)
    {
    }
    return clock.Elapsed.TotalMilliseconds;
}

static async Task<double> RawHttpGetAsync(HttpClient http, string url)
{
    var clock = Stopwatch.StartNew();
    using var response = await http.GetAsync(new Uri(url), HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    await using var body = await response.Content.ReadAsStreamAsync();
    var buffer = new byte[128 * 1024];
    while (await body.ReadAsync(buffer) > 0)
    {
    }
    return clock.Elapsed.TotalMilliseconds;
}

static async Task<double> CopyAsync(IAmazonS3 s3, string bucket, int run)
{
    var clock = Stopwatch.StartNew();
    await s3.CopyObjectAsync(new CopyObjectRequest
    {
        SourceBucket = bucket, SourceKey = "landing/movies.csv",
        DestinationBucket = bucket, DestinationKey = $"baseline/{run}/movies.csv",
    });
    return clock.Elapsed.TotalMilliseconds;
}

// Runs a command under GNU time: wall clock, user+sys CPU seconds and peak RSS; fails on a non-zero exit.
static Timing Timed(string command, params string[] arguments)
{
    var timeFile = Path.GetTempFileName();
    var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { "-f", "%U %S %M", "-o", timeFile, command }.Concat(arguments))
        start.ArgumentList.Add(a);
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    var wall = clock.Elapsed.TotalMilliseconds;
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"{command} exited {process.ExitCode}: {stderr.Result}");
    var parts = File.ReadAllLines(timeFile).Last(l => l.Length > 0).Trim().Split(' ');
    File.Delete(timeFile);
    var cpu = double.Parse(parts[0], CultureInfo.InvariantCulture) + double.Parse(parts[1], CultureInfo.InvariantCulture);
    return new Timing(wall, cpu, long.Parse(parts[2], CultureInfo.InvariantCulture), stdout.Result, stderr.Result);
}

async Task<Ingest> IngestAsync(string eventJson)
{
    var eventFile = Path.Combine(Path.GetTempPath(), $"bench-event-{Guid.NewGuid():N}.json");
    await File.WriteAllTextAsync(eventFile, eventJson);
    Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", endpoint);
    Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "bench");
    Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "bench");
    Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
    Environment.SetEnvironmentVariable("LOG_LEVEL", "INFO");
    foreach (var e in extraEnv)
        Environment.SetEnvironmentVariable(e[0], e[1]);
    var timing = Timed(bootstrap, "invoke", "--event", eventFile);
    File.Delete(eventFile);
    using var result = JsonDocument.Parse(timing.Stdout);
    var record = result.RootElement.GetProperty("records")[0];
    // The record's log line says where the time went.
    long readValidate = -1, copy = -1;
    var logLine = timing.Stderr.Split('\n').FirstOrDefault(l => l.Contains("\"outcome\"", StringComparison.Ordinal));
    if (logLine is not null)
    {
        using var log = JsonDocument.Parse(logLine);
        readValidate = log.RootElement.GetProperty("validationMs").GetInt64();
        copy = log.RootElement.GetProperty("copyMs").GetInt64();
    }
    return new Ingest(timing, record.GetProperty("durationMs").GetDouble(), readValidate, copy, timing.PeakKiB, record.GetProperty("outcome").GetString()!);
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

internal sealed record Timing(double WallMs, double CpuS, long PeakKiB, string Stdout, string Stderr);

internal sealed record Ingest(Timing Wall, double HandlerMs, long ReadValidateMs, long CopyMs, long PeakKiB, string Outcome);

internal sealed record Run(Timing Curl, double SdkGetMs, double RawGetMs, double CopyMs, Timing Local, Ingest Ingest)
{
    public double ReadRatio => Ingest.ReadValidateMs / Math.Max(Curl.WallMs, Local.WallMs);
    public double IngestRatio => Ingest.HandlerMs / (Curl.WallMs + CopyMs);
}
