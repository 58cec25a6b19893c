using System.Globalization;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Core.Reports;
using IngestLambda.Lake;
using IngestLambda.Tests.EndToEnd;
using IngestLambda.Tests.Template;
using Xunit.Abstractions;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// 200 files landed at once through the local event-driven chain: moto's S3 notification → SQS → the local Lambda
/// host (tools/IngestLambda.LocalHost) → four published bootstrap processes at 128 MB. Every file must come out once
/// with its expected outcome, nothing may fail or reach the failure queue.
/// </summary>
[Collection(NativePublishGroup.Name)]
[Trait("Category", "Load")]
[Trait("Category", "Integration")]
public sealed class ChainLoadTests(LocalAws aws, ITestOutputHelper output) : IClassFixture<LocalAws>
{
    private const int Files = 200;
    private const int Processes = 4;

    [Fact]
    public async Task Two_hundred_files_landed_at_once_go_through_S3_SQS_and_four_bootstraps_each_once()
    {
        var lake = await aws.CreateLakeAsync(LocalAws.UniqueName("load"), maxReceiveCount: 3);
        await using var host = await LocalHostProcess.StartAsync(lake.Events, PublishedFunction.Bootstrap, aws.Environment,
            "--concurrency", Processes.ToString(CultureInfo.InvariantCulture), "--timeout", "120", "--memory", "128");
        using var s3 = aws.CreateS3Client();
        var files = Enumerable.Range(0, Files).Select(LoadFiles.Make).ToList();

        var started = DateTimeOffset.UtcNow;
        var landedAt = new DateTimeOffset[Files];
        await Parallel.ForEachAsync(Enumerable.Range(0, Files), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = lake.Bucket, Key = files[i].Key, InputStream = new MemoryStream(files[i].Body) }, token);
            landedAt[i] = DateTimeOffset.UtcNow;
        });

        // Done when every file has its report and the queue is empty.
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (await CountReportsAsync(s3, lake.Bucket) < Files || await aws.MessagesInAsync(lake.Events) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "not done within 5 minutes:\n" + string.Join('\n', host.Lines.TakeLast(40)));
            await Task.Delay(250);
        }
        var lines = host.Lines;

        Assert.DoesNotContain(lines, l => l.StartsWith("localhost: error", StringComparison.Ordinal));
        Assert.Empty(await aws.PeekBodiesAsync(lake.Failures));

        // The function's own record log lines (one per record, with the time it finished) say what happened to each file.
        var records = lines.Select(RecordLine).OfType<JsonElement>().ToList();
        var finished = DateTimeOffset.MinValue;
        var latencies = new List<double>();
        for (var i = 0; i < Files; i++)
        {
            var mine = records.Where(r => r.GetProperty("key").GetString() == files[i].Key).ToList();
            var outcomes = mine.Select(r => r.GetProperty("outcome").GetString()).ToList();
            Assert.True(outcomes.Count(o => o is Outcomes.Accepted or Outcomes.Rejected) == 1, $"{files[i].Key}: {string.Join(", ", outcomes)}");
            var done = mine.Single(r => r.GetProperty("outcome").GetString() is Outcomes.Accepted or Outcomes.Rejected);
            Assert.Equal(files[i].Outcome, done.GetProperty("outcome").GetString());
            var at = done.GetProperty("timestamp").GetDateTimeOffset();
            finished = at > finished ? at : finished;
            latencies.Add((at - landedAt[i]).TotalMilliseconds);
        }

        var versions = await AllVersionsAsync(s3, lake.Bucket);
        var written = versions.Where(v => !v.Key.StartsWith("landing/", StringComparison.Ordinal)).ToList();
        // A copy and a report per file, and a trusted Parquet per accepted file (docs/contracts.md "Trusted zone").
        var accepted = files.Count(f => f.Outcome == Outcomes.Accepted);
        Assert.Equal(2 * Files + accepted, written.Count);
        Assert.Equal(2 * Files + accepted, written.Select(v => v.Key).Distinct().Count());
        Assert.DoesNotContain(written, v => v.IsDeleteMarker == true || v.Key.EndsWith(RecordClaims.Suffix, StringComparison.Ordinal));
        Assert.Equal(files.Count(f => f.Outcome == Outcomes.Accepted), written.Count(v => v.Key.StartsWith("manifests/", StringComparison.Ordinal)));
        Assert.Empty((await s3.ListMultipartUploadsAsync(lake.Bucket)).MultipartUploads ?? []);

        latencies.Sort();
        var elapsed = finished - started;
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"chain load (S3 -> SQS -> local host -> {Processes} bootstrap at 128 MB): {Files} files ({files.Sum(f => (long)f.Body.Length) / 1024 / 1024} MiB, "
            + $"{files.Count(f => f.Outcome == Outcomes.Accepted)} accepted, {files.Count(f => f.Outcome == Outcomes.Rejected)} rejected), "
            + $"{records.Count - Files} other records (skipped/duplicate): first upload to last report {elapsed.TotalSeconds:F1} s, {Files / elapsed.TotalSeconds:F1} files/s; "
            + $"upload->report p50 {latencies[Files / 2 - 1]:F0} ms, p95 {latencies[(int)(Files * 0.95) - 1]:F0} ms, max {latencies[^1]:F0} ms");
        output.WriteLine(figures);
        await FigureLog.WriteAsync(figures);
    }

    /// <summary>The function's JSON record line in the host's log ("[name] {...}"), if this is one.</summary>
    private static JsonElement? RecordLine(string line)
    {
        var brace = line.IndexOf("] {", StringComparison.Ordinal);
        if (!line.StartsWith('[') || brace < 0)
            return null;
        using var document = JsonDocument.Parse(line[(brace + 2)..]);
        var root = document.RootElement;
        return root.TryGetProperty("outcome", out _) && root.TryGetProperty("key", out _) ? root.Clone() : null;
    }

    private static async Task<int> CountReportsAsync(IAmazonS3 s3, string bucket)
    {
        var count = 0;
        foreach (var prefix in new[] { "manifests/", "quarantine/" })
        {
            var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
            ListObjectsV2Response page;
            do
            {
                page = await s3.ListObjectsV2Async(request);
                count += (page.S3Objects ?? []).Count(o => o.Key.EndsWith(".json", StringComparison.Ordinal));
                request.ContinuationToken = page.NextContinuationToken;
            }
            while (page.IsTruncated == true);
        }
        return count;
    }

    private static async Task<List<S3ObjectVersion>> AllVersionsAsync(IAmazonS3 s3, string bucket)
    {
        var all = new List<S3ObjectVersion>();
        var request = new ListVersionsRequest { BucketName = bucket };
        while (true)
        {
            var page = await s3.ListVersionsAsync(request);
            all.AddRange(page.Versions ?? []);
            if (page.IsTruncated != true)
                return all;
            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }
}
