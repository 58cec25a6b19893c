using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3.Model;
using IngestLambda.Core.Reports;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Runtime;
using IngestLambda.Tests.Template;
using Xunit.Abstractions;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// A large file (<see cref="LargeLanding.TargetBytes"/>: 320 MiB, or 2 GiB with <c>make test-large</c>) through moto_server
/// and the published bootstrap at 128 MB: streamed validation, then a multipart
/// server-side copy (UploadPartCopy). The file is the one <see cref="LargeLanding"/> uploads once for the Large tests.
/// </summary>
[Collection(NativePublishGroup.Name)] // runs the published bootstrap, which this collection keeps fresh
[Trait("Category", "Large")]
[Trait("Category", "Integration")]
public sealed class LargeFileTests(LargeLanding largeLanding, ITestOutputHelper output)
{
    [Fact]
    public async Task A_large_file_is_accepted_and_copied_in_parts_byte_identical_within_128_MB()
    {
        _ = BootstrapProcess.Path;
        var large = await largeLanding.GetAsync();
        var (lake, key, landed, size, rows, sha256) = (large.Lake, LargeLanding.Key, large.Landed, large.Size, large.Rows, large.Sha256);
        // At least three parts: 64 MiB parts up to 1 GiB, 512 MiB above (moto reads the whole source for every part).
        var partBytes = size > 1024L * 1024 * 1024 ? 512L * 1024 * 1024 : 64L * 1024 * 1024;
        try
        {
            await using var api = FakeRuntimeApi.Start();
            api.Enqueue(FakeInvocation.Create(EventJson.S3Event(lake.Bucket, key, landed.ETag, landed.VersionId, size), TimeSpan.FromMinutes(15)));
            var exit = await BootstrapProcess.RunAsync(api.Address, large.Endpoint, TimeSpan.FromMinutes(10), new Dictionary<string, string>
            {
                // Multipart above 64 MiB, one part at a time: moto reads the whole source for every UploadPartCopy, so
                // big parts and no concurrency keep moto (not the function) fast and small.
                ["MULTIPART_COPY_THRESHOLD_BYTES"] = (64 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
                ["MULTIPART_COPY_PART_BYTES"] = partBytes.ToString(CultureInfo.InvariantCulture),
                ["MULTIPART_COPY_CONCURRENCY"] = "1",
                ["INTEGRITY_SHA256"] = "true", // the manifest's digest is compared with the one this test computed
                // The trusted Parquet is written too (TRUSTED_FORMAT's default): the read, validation, copy and Parquet
                // write all fit 128 MB (docs/benchmarks.md "Trusted zone").
            });

            var errors = api.RequestsTo("/error");
            Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.Body)) + "\n" + BootstrapProcess.Tail(exit.StdErr));
            var response = Assert.Single(api.RequestsTo("/response"));
            var record = Assert.Single(JsonSerializer.Deserialize(response.Body, IngestResultJsonContext.Default.IngestResult)!.Records);
            Assert.Equal(Outcomes.Accepted, record.Outcome);
            Assert.Equal(rows, record.Rows);
            Assert.Equal(size, record.Bytes);

            using var manifest = await lake.GetJsonAsync(record.ReportKey!);
            Assert.Equal(sha256, manifest.RootElement.GetProperty("validation").GetProperty("sha256").GetString());
            var head = await lake.HeadAsync(record.DestinationKey!);
            Assert.Equal(size, head.ContentLength);
            var parts = (int)((size + partBytes - 1) / partBytes);
            Assert.EndsWith($"-{parts}", head.ETag.Trim('"'), StringComparison.Ordinal);
            var readBack = Stopwatch.StartNew();
            Assert.Equal(sha256, await HashObjectAsync(lake, record.DestinationKey!));
            readBack.Stop();
            // One listing for both checks: moto deep-copies every object in the bucket (4 GiB here) for each listing.
            var versions = await lake.AllVersionsAsync();
            Assert.Equal(1, versions.Count(v => v.Key == record.DestinationKey && v.IsDeleteMarker != true));
            Assert.Empty((await lake.S3.ListMultipartUploadsAsync(lake.Bucket)).MultipartUploads ?? []);
            TestLake.AssertLandingUntouched(versions, key, landed);

            var log = exit.StdErr.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{') && l.Contains("\"outcome\":\"accepted\"", StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l).RootElement)
                .Single(e => e.TryGetProperty("validationMs", out _)); // the record's line, not another line naming its outcome (an outcome event's)
            var figures = string.Create(CultureInfo.InvariantCulture,
                $"large: {size / 1024.0 / 1024 / 1024:F2} GiB, {rows:N0} rows, uploaded in {large.UploadTime.TotalSeconds:F0} s "
                + $"({large.UploadParts}); bootstrap at 128 MB: {exit.Elapsed.TotalSeconds:F0} s in all, validation {log.GetProperty("validationMs").GetInt64() / 1000.0:F1} s "
                + $"({size / 1024.0 / 1024 / (log.GetProperty("validationMs").GetInt64() / 1000.0):F0} MiB/s read+validate+hash from moto), "
                + $"multipart copy ({parts} x {partBytes / 1024 / 1024} MiB) {log.GetProperty("copyMs").GetInt64() / 1000.0:F1} s; peak RSS {exit.PeakRssKb / 1024.0:F1} MiB; "
                + $"copy read back and hashed in {readBack.Elapsed.TotalSeconds:F0} s");
            output.WriteLine(figures);
            await FigureLog.WriteAsync(figures);
            Assert.True(exit.PeakRssKb > 0 && exit.PeakRssKb < 128 * 1024, $"peak RSS {exit.PeakRssKb} KiB (limit 128 MiB)");
            await AssertTrustedAsync(lake, manifest.RootElement.GetProperty("trusted"), rows);
        }
        finally
        {
            await lake.ResetAsync(key, landed); // moto holds the large copy in memory and temp files until it is deleted
        }
    }

    /// <summary>
    /// The Parquet the manifest names, read by DuckDB: every row, and the sample's rows each as often as the file repeats
    /// the sample (<see cref="LargeLanding"/>), typed; no more than the manifest says.
    /// </summary>
    private static async Task AssertTrustedAsync(TestLake lake, JsonElement trusted, long rows)
    {
        var key = trusted.GetProperty("key").GetString()!;
        Assert.Equal(rows, trusted.GetProperty("rows").GetInt64());
        Assert.Equal(trusted.GetProperty("bytes").GetInt64(), (await lake.HeadAsync(key)).ContentLength);
        using var file = await Trusted.ParquetFile.DownloadAsync(lake, key);
        Assert.Equal(rows, file.Scalar("SELECT count(*) FROM {t}"));
        Assert.Equal(trusted.GetProperty("rowGroups").GetInt32(), Convert.ToInt32(file.Scalar("SELECT count(DISTINCT row_group_id) FROM {meta}")));
        // Every distinct row of the Parquet is a row of the sample and the other way round, and each appears a whole
        // number of times the sample is repeated.
        var sample = File.ReadAllText(RepoPaths.Samples("movies.csv"));
        var sampleRows = sample.TrimEnd('\n').Split('\n').Length - 1;
        var repeats = rows / sampleRows;
        var csvPath = Path.Combine(Path.GetTempPath(), $"large-sample-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csvPath, sample);
        try
        {
            var columns = sample[..sample.IndexOf('\n')].Split('|');
            var asText = string.Join(", ", columns.Select(c => $"CAST(\"{c}\" AS VARCHAR) AS \"{c}\""));
            var fromCsv = $"SELECT * FROM read_csv('{csvPath}', delim='|', header=true, quote='', escape='', nullstr='\\N', all_varchar=true)";
            var fromParquet = $"SELECT {asText} FROM {{t}}";
            Assert.Equal(0L, file.Scalar($"SELECT count(*) FROM (({fromCsv}) EXCEPT ({fromParquet}))"));
            Assert.Equal(0L, file.Scalar($"SELECT count(*) FROM (({fromParquet}) EXCEPT ({fromCsv}))"));
            var quoted = string.Join(", ", columns.Select(c => $"\"{c}\""));
            Assert.Equal(0L, file.Scalar($"SELECT count(*) FROM (SELECT {quoted}, count(*) AS n FROM ({fromParquet}) GROUP BY ALL) WHERE n % {repeats} <> 0"));
        }
        finally
        {
            File.Delete(csvPath);
        }
        Assert.Equal("BIGINT", file.Scalar("SELECT typeof(numeroVotos) FROM {t} LIMIT 1"));
    }

    private static async Task<string> HashObjectAsync(TestLake lake, string key)
    {
        using var response = await lake.S3.GetObjectAsync(new GetObjectRequest { BucketName = lake.Bucket, Key = key });
        using var sha = SHA256.Create();
        return Convert.ToHexStringLower(await sha.ComputeHashAsync(response.ResponseStream));
    }
}
