using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IngestLambda.Core.Reports;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Runtime;
using IngestLambda.Tests.Template;
using Xunit.Abstractions;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// 200 files landed at once, ingested by several published <c>bootstrap</c> processes taking SQS-style batches from
/// one Runtime API (as Lambda's SQS event source spreads batches over concurrent instances). Ten events are
/// delivered twice, in different batches. Every file must come out once with its expected outcome.
/// </summary>
[Collection(NativePublishGroup.Name)] // runs the published bootstrap, which this collection keeps fresh
[Trait("Category", "Load")]
[Trait("Category", "Integration")]
public sealed class LoadTests(MotoServer moto, ITestOutputHelper output) : IClassFixture<MotoServer>
{
    private const int Files = 200;
    private const int Processes = 4;
    private const int BatchSize = 5;
    private const int Redelivered = 10;

    [Fact]
    public async Task Two_hundred_files_landed_at_once_are_each_ingested_once_with_the_expected_outcome()
    {
        _ = BootstrapProcess.Path;
        using var lake = await TestLake.CreateAsync(moto);
        var files = Enumerable.Range(0, Files).Select(LoadFiles.Make).ToList();

        // Land them all at once (16 uploads in flight), noting when each upload finished.
        var landedAt = new long[Files];
        var events = new string[Files];
        await Parallel.ForEachAsync(Enumerable.Range(0, Files), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var put = await lake.PutAsync(files[i].Key, files[i].Body);
            landedAt[i] = Stopwatch.GetTimestamp();
            events[i] = EventJson.S3Event(lake.Bucket, files[i].Key, put.ETag, put.VersionId, files[i].Body.Length);
        });

        // SQS-style batches; every 20th event is delivered a second time, later, in another batch.
        var deliveries = Enumerable.Range(0, Files).Concat(Enumerable.Range(0, Redelivered).Select(k => k * (Files / Redelivered))).ToList();
        var batches = deliveries.Chunk(BatchSize).ToList();
        await using var api = FakeRuntimeApi.Start();
        var batchFiles = new Dictionary<string, int[]>();
        foreach (var batch in batches)
        {
            var invocation = FakeInvocation.Create(EventJson.SqsEvent([.. batch.Select(i => events[i])]), TimeSpan.FromMinutes(5));
            batchFiles[invocation.RequestId] = batch;
            api.Enqueue(invocation);
        }

        var clock = Stopwatch.StartNew();
        var exits = await Task.WhenAll(Enumerable.Range(0, Processes).Select(_ => BootstrapProcess.RunAsync(api.Address, moto.Endpoint, TimeSpan.FromMinutes(5))));
        var elapsed = clock.Elapsed;

        var errors = api.RequestsTo("/error");
        Assert.True(errors.Count == 0, "invocations failed: " + string.Join("\n", errors.Select(e => e.Body)) + "\n" + BootstrapProcess.Tail(exits[0].StdErr));
        var responses = api.RequestsTo("/response");
        Assert.Equal(batches.Count, responses.Count);

        // Every file accounted for: one accepted/rejected result, plus one duplicate per redelivery, nothing else.
        var byKey = new Dictionary<string, List<RecordResult>>();
        var latencies = new List<double>();
        foreach (var response in responses)
        {
            var requestId = response.Path.Split('/')[^2];
            var result = JsonSerializer.Deserialize(response.Body, IngestResultJsonContext.Default.IngestResult)!;
            Assert.Equal(batchFiles[requestId].Length, result.Records.Count);
            for (var r = 0; r < result.Records.Count; r++)
            {
                var record = result.Records[r];
                var file = batchFiles[requestId][r];
                Assert.Equal(files[file].Key, record.Key);
                (byKey.TryGetValue(record.Key!, out var list) ? list : byKey[record.Key!] = []).Add(record);
                if (record.Outcome != Outcomes.Duplicate)
                    latencies.Add(Stopwatch.GetElapsedTime(landedAt[file], response.Timestamp).TotalMilliseconds);
            }
        }
        Assert.Equal(Files, byKey.Count);
        var failures = byKey.Values.SelectMany(r => r).Where(r => r.Outcome == Outcomes.Failed).Select(r => $"{r.Key}: {r.Message}").ToList();
        Assert.True(failures.Count == 0, "failed records:\n" + string.Join('\n', failures.Take(5)));
        for (var i = 0; i < Files; i++)
        {
            var results = byKey[files[i].Key];
            var redeliveries = deliveries.Count(d => d == i) - 1;
            Assert.Equal(1 + redeliveries, results.Count);
            Assert.Equal(files[i].Outcome, Assert.Single(results, r => r.Outcome != Outcomes.Duplicate).Outcome);
            Assert.Equal(redeliveries, results.Count(r => r.Outcome == Outcomes.Duplicate));
        }

        // And in the lake: one version of each copy and report, nothing else, nothing left behind.
        var versions = await lake.AllVersionsAsync();
        var written = versions.Where(v => !v.Key.StartsWith("landing/", StringComparison.Ordinal)).ToList();
        Assert.All(written, v => Assert.NotEqual(true, v.IsDeleteMarker));
        // A copy and a report per file, and a trusted Parquet per accepted file (docs/contracts.md "Trusted zone").
        var accepted = files.Count(f => f.Outcome == Outcomes.Accepted);
        Assert.Equal(2 * Files + accepted, written.Count);
        Assert.Equal(2 * Files + accepted, written.Select(v => v.Key).Distinct().Count());
        Assert.Equal(accepted, written.Count(v => v.Key.StartsWith("Trusted/Local/Parquet/", StringComparison.Ordinal)));
        Assert.Equal(files.Count(f => f.Outcome == Outcomes.Accepted), written.Count(v => v.Key.StartsWith("Raw/Local/CSV/", StringComparison.Ordinal)));
        Assert.Equal(files.Count(f => f.Outcome == Outcomes.Accepted), written.Count(v => v.Key.StartsWith("manifests/", StringComparison.Ordinal)));
        Assert.Equal(2 * files.Count(f => f.Outcome == Outcomes.Rejected), written.Count(v => v.Key.StartsWith("quarantine/", StringComparison.Ordinal)));
        Assert.Empty((await lake.S3.ListMultipartUploadsAsync(lake.Bucket)).MultipartUploads ?? []);
        Assert.Equal(Files, versions.Count(v => v.Key.StartsWith("landing/", StringComparison.Ordinal)));

        latencies.Sort();
        var peakRss = exits.Max(e => e.PeakRssKb);
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"load: {Files} files ({files.Sum(f => (long)f.Body.Length) / 1024 / 1024} MiB, {files.Count(f => f.Outcome == Outcomes.Accepted)} accepted, "
            + $"{files.Count(f => f.Outcome == Outcomes.Rejected)} rejected) + {Redelivered} redeliveries in {batches.Count} batches of {BatchSize} over {Processes} bootstrap processes: "
            + $"{elapsed.TotalSeconds:F1} s, {Files / elapsed.TotalSeconds:F1} files/s; upload->report p50 {Percentile(latencies, 0.50):F0} ms, "
            + $"p95 {Percentile(latencies, 0.95):F0} ms, max {latencies[^1]:F0} ms; peak RSS per process {peakRss / 1024.0:F1} MiB");
        output.WriteLine(figures);
        await FigureLog.WriteAsync(figures);
        Assert.True(peakRss < 128 * 1024, $"a bootstrap process peaked at {peakRss} KiB");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Count) - 1];
}

/// <summary>Figures measured by the reliability tests, appended to artifacts/test-results/reliability-figures.txt for docs/reliability.md.</summary>
internal static class FigureLog
{
    public static async Task WriteAsync(string line)
    {
        var directory = Path.Combine(RepoPaths.Root, "artifacts", "test-results");
        Directory.CreateDirectory(directory);
        await File.AppendAllTextAsync(Path.Combine(directory, "reliability-figures.txt"),
            $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {Environment.ProcessorCount} cores: {line}\n");
    }
}

internal sealed record LandedFile(string Key, byte[] Body, string Outcome);

/// <summary>The files of the load tests.</summary>
internal static class LoadFiles
{
    /// <summary>Mostly valid movies and series; every fifth is invalid in one of four ways.</summary>
    public static LandedFile Make(int i)
    {
        var key = $"landing/load/{i:D3}/{(i % 3 == 0 ? "series" : "movies")}-{i:D3}.csv";
        if (i % 5 == 4)
        {
            byte[] bad = (i / 5 % 4) switch
            {
                0 => TestFiles.BadMovies,
                1 => Encoding.UTF8.GetBytes("id|title\n1|x\n"), // unknown header
                2 => [0x50, 0x4B, 0x03, 0x04, 0x00, 0xFF, 0xFE, 0x00, 0x01], // a zip signature and NULs: binary
                _ => TestFiles.Movies[..(TestFiles.Movies.Length - 7)], // last row cut short
            };
            return new LandedFile(key, bad, Outcomes.Rejected);
        }
        return new LandedFile(key, i % 3 == 0 ? TestFiles.Series : TestFiles.Movies, Outcomes.Accepted);
    }
}
