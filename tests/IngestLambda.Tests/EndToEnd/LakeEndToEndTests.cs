using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.EndToEnd;

/// <summary>
/// The whole local chain, as `make demo` runs it: `aws s3 cp` into a moto bucket whose notification (the
/// template's prefix and suffix) feeds an SQS queue, the local Lambda host, and the published Native AOT
/// bootstrap. Every outcome is read back from the lake itself.
/// </summary>
[Collection(NativePublishGroup.Name)]
[Trait("Category", "Integration")]
public sealed class LakeEndToEndTests(LocalAws aws) : IClassFixture<LocalAws>, IDisposable
{
    private const string DatePath = @"\d{4}/\d{2}/\d{2}";
    private readonly string _dir = Directory.CreateTempSubdirectory("ingestlambda-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Uploaded_files_are_filed_by_outcome_and_files_outside_the_filter_are_left_alone()
    {
        var lake = await aws.CreateLakeAsync(LocalAws.UniqueName("e2e-lake"), maxReceiveCount: 3);
        await using var host = await LocalHostProcess.StartAsync(lake.Events, PublishedFunction.Bootstrap, aws.Environment,
            "--concurrency", "2", "--timeout", "60");
        var malformed = WriteMalformedMovies();
        var accented = "landing/lote 2026/Séries de ação.csv";
        var gzipped = Path.Combine(_dir, "series.csv.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(gzipped), System.IO.Compression.CompressionLevel.Optimal))
            gzip.Write(File.ReadAllBytes(RepoPaths.Samples("series.csv")));

        // First the two that must not trigger anything, then the four that must (the .csv.gz through the template's second rule).
        await aws.AwsAsync("s3", "cp", RepoPaths.Samples("movies.csv"), $"s3://{lake.Bucket}/incoming/movies.csv");
        await aws.AwsAsync("s3", "cp", RepoPaths.Samples("movies.csv"), $"s3://{lake.Bucket}/landing/movies.txt");
        await aws.AwsAsync("s3", "cp", RepoPaths.Samples("movies.csv"), $"s3://{lake.Bucket}/landing/movies.csv");
        await aws.AwsAsync("s3", "cp", RepoPaths.Samples("series.csv"), $"s3://{lake.Bucket}/{accented}");
        await aws.AwsAsync("s3", "cp", malformed, $"s3://{lake.Bucket}/landing/bad movies.csv");
        await aws.AwsAsync("s3", "cp", gzipped, $"s3://{lake.Bucket}/landing/series.csv.gz");

        using var s3 = aws.CreateS3Client();
        await EventuallyAsync(async () =>
        {
            var keys = await KeysAsync(s3, lake.Bucket);
            return keys.Any(k => k.EndsWith("/movies.csv.json", StringComparison.Ordinal))
                && keys.Any(k => k.EndsWith("/Séries de ação.csv.json", StringComparison.Ordinal))
                && keys.Any(k => k.EndsWith("/bad movies.csv.report.json", StringComparison.Ordinal))
                && keys.Any(k => k.EndsWith("/series.csv.gz.json", StringComparison.Ordinal))
                && await aws.MessagesInAsync(lake.Events) == 0;
        }, TimeSpan.FromSeconds(120), () => host.Log);

        // Exactly these objects, nothing for the .txt or the key outside landing/.
        var all = await KeysAsync(s3, lake.Bucket);
        string[] expected =
        [
            "incoming/movies.csv", "landing/movies.txt", "landing/movies.csv", accented, "landing/bad movies.csv",
            $"Raw/Local/CSV/Movies/{DatePath}/movies.csv", $"manifests/Movies/{DatePath}/movies.csv.json",
            $"Raw/Local/CSV/Series/{DatePath}/lote 2026/Séries de ação.csv", $"manifests/Series/{DatePath}/lote 2026/Séries de ação.csv.json",
            $"quarantine/{DatePath}/bad movies.csv", $"quarantine/{DatePath}/bad movies.csv.report.json",
            "landing/series.csv.gz", $"Raw/Local/CSV/Series/{DatePath}/series.csv.gz", $"manifests/Series/{DatePath}/series.csv.gz.json",
            // Each accepted file's typed Parquet (docs/contracts.md "Trusted zone").
            $"Trusted/Local/Parquet/Movies/{DatePath}/movies.parquet", $"Trusted/Local/Parquet/Series/{DatePath}/lote 2026/Séries de ação.parquet",
            $"Trusted/Local/Parquet/Series/{DatePath}/series.parquet",
        ];
        Assert.Equal(expected.Length, all.Count);
        Assert.All(expected, pattern => Assert.Single(all, key => Regex.IsMatch(key, $"^{pattern.Replace(".", "\\.")}$")));

        // Accepted copies are byte-identical; manifests say what was accepted.
        var movies = all.Single(k => k.StartsWith("Raw/Local/CSV/Movies/", StringComparison.Ordinal));
        Assert.Equal(Sha256(File.ReadAllBytes(RepoPaths.Samples("movies.csv"))), Sha256(await ReadAsync(s3, lake.Bucket, movies)));
        var series = all.Single(k => k.StartsWith("Raw/Local/CSV/Series/", StringComparison.Ordinal) && k.EndsWith(".csv", StringComparison.Ordinal));
        Assert.Equal(Sha256(File.ReadAllBytes(RepoPaths.Samples("series.csv"))), Sha256(await ReadAsync(s3, lake.Bucket, series)));

        var gzCopy = all.Single(k => k.StartsWith("Raw/Local/CSV/Series/", StringComparison.Ordinal) && k.EndsWith(".csv.gz", StringComparison.Ordinal));
        Assert.Equal(Sha256(File.ReadAllBytes(gzipped)), Sha256(await ReadAsync(s3, lake.Bucket, gzCopy)));
        var gzManifest = await ReadJsonAsync(s3, lake.Bucket, gzCopy.Replace("Raw/Local/CSV/", "manifests/", StringComparison.Ordinal) + ".json");
        Assert.Equal("gzip", gzManifest.GetProperty("validation").GetProperty("compression").GetString());
        Assert.Equal(new FileInfo(gzipped).Length, gzManifest.GetProperty("validation").GetProperty("bytes").GetInt64());

        var manifest = await ReadJsonAsync(s3, lake.Bucket, all.Single(k => k.StartsWith("manifests/Series/", StringComparison.Ordinal) && k.EndsWith(".csv.json", StringComparison.Ordinal)));
        Assert.Equal("accepted", manifest.GetProperty("outcome").GetString());
        Assert.Equal(accented, manifest.GetProperty("source").GetProperty("key").GetString());
        Assert.Equal(series, manifest.GetProperty("destination").GetProperty("key").GetString());
        Assert.Equal(2000, manifest.GetProperty("validation").GetProperty("rows").GetInt64());

        // The malformed file is quarantined as landed, with a report that points at its faults.
        var quarantined = all.Single(k => k.StartsWith("quarantine/", StringComparison.Ordinal) && k.EndsWith(".csv", StringComparison.Ordinal));
        Assert.Equal(Sha256(File.ReadAllBytes(malformed)), Sha256(await ReadAsync(s3, lake.Bucket, quarantined)));
        var report = await ReadJsonAsync(s3, lake.Bucket, quarantined + ".report.json");
        Assert.Equal("rejected", report.GetProperty("outcome").GetString());
        var validation = report.GetProperty("validation");
        Assert.Equal(2, validation.GetProperty("errorCount").GetInt32());
        var first = validation.GetProperty("errors")[0];
        Assert.Equal(3, first.GetProperty("line").GetInt32());
        Assert.Equal("anoLancamento", first.GetProperty("column").GetString());
        Assert.Equal("invalid-value", first.GetProperty("code").GetString());
        Assert.Equal("field-count", validation.GetProperty("errors")[1].GetProperty("code").GetString());

        // Nothing failed, and the landing objects are still there, unchanged.
        Assert.Empty(await aws.PeekBodiesAsync(lake.Failures));
        Assert.Equal(Sha256(File.ReadAllBytes(RepoPaths.Samples("movies.csv"))), Sha256(await ReadAsync(s3, lake.Bucket, "landing/movies.csv")));
    }

    [Fact]
    public async Task A_handler_failure_is_redelivered_and_then_lands_in_the_failure_queue()
    {
        var lake = await aws.CreateLakeAsync(LocalAws.UniqueName("e2e-broken"), maxReceiveCount: 2);
        // S3 is unreachable for the function only (SQS still works): every attempt fails with a network error.
        var environment = new Dictionary<string, string?>(aws.Environment)
        {
            ["AWS_ENDPOINT_URL_S3"] = $"http://127.0.0.1:{LocalMachine.FreeLoopbackPort()}",
            ["AWS_MAX_ATTEMPTS"] = "1",
        };
        await using var host = await LocalHostProcess.StartAsync(lake.Events, PublishedFunction.Bootstrap, environment,
            "--concurrency", "1", "--timeout", "30", "--endpoint-url", aws.Endpoint);
        await aws.AwsAsync("s3", "cp", RepoPaths.Samples("movies.csv"), $"s3://{lake.Bucket}/landing/doomed.csv");

        // The failure queue holds the S3 notification itself (moto writes the key's '/' as %2F).
        await EventuallyAsync(async () => (await aws.PeekBodiesAsync(lake.Failures)).Any(body => body.Contains("doomed.csv") && body.Contains("ObjectCreated")),
            TimeSpan.FromSeconds(120), () => host.Log);

        var failed = host.Lines.Where(line => line.StartsWith("localhost: error message", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, failed.Count);
        Assert.Single(failed.Select(line => line.Split(' ')[3]).Distinct()); // the same message, twice
        Assert.Contains("(receive 1)", failed[0]);
        Assert.Contains("(receive 2)", failed[1]);
        Assert.Equal(0, await aws.MessagesInAsync(lake.Events));

        using var s3 = aws.CreateS3Client();
        Assert.Equal(["landing/doomed.csv"], await KeysAsync(s3, lake.Bucket));
    }

    /// <summary>A 10-row movies file with a bad year on line 3 and a three-field row after line 6.</summary>
    private string WriteMalformedMovies()
    {
        var lines = File.ReadLines(RepoPaths.Samples("movies.csv")).Take(10).ToList();
        var fields = lines[2].Split('|');
        fields[3] = "19x9";
        lines[2] = string.Join('|', fields);
        lines.Insert(6, "tt0000007|only three|fields");
        var path = Path.Combine(_dir, "bad movies.csv");
        File.WriteAllText(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        return path;
    }

    private static async Task<List<string>> KeysAsync(IAmazonS3 s3, string bucket)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return keys;
    }

    private static async Task<byte[]> ReadAsync(IAmazonS3 s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static async Task<JsonElement> ReadJsonAsync(IAmazonS3 s3, string bucket, string key) =>
        JsonDocument.Parse(await ReadAsync(s3, bucket, key)).RootElement.Clone();

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Not reached within {timeout}:\n{explain()}");
            await Task.Delay(250);
        }
    }
}
