using System.IO.Compression;
using System.Text;
using Amazon.S3.Model;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Trusted;

/// <summary>
/// The function writing the trusted zone (docs/contracts.md "Trusted zone"): an accepted file's Parquet, read by DuckDB equal to
/// the CSV and named in the manifest; nothing for a rejected file, a duplicate or TRUSTED_FORMAT=none.
/// </summary>
public sealed class TrustedPipelineTests(MotoServer moto) : LakeTests(moto)
{
    private static async Task<int> OpenUploadsAsync(TestLake lake) =>
        (await lake.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = lake.Bucket })).MultipartUploads?.Count ?? 0;

    private static async Task<RecordResult> LandAsync(TestLake lake, string key, byte[] body, IngestConfig? config = null)
    {
        var landed = await lake.PutAsync(key, body);
        return await lake.InvokeOneAsync(EventJson.S3Event(lake.Bucket, key, landed.ETag, landed.VersionId, body.Length), config);
    }

    [Theory]
    [InlineData("movies.csv", "landing/team-a/movies.csv", "Trusted/Local/Parquet/Movies/2026/11/26/team-a/movies.parquet", false)]
    [InlineData("series.csv", "landing/series.csv.gz", "Trusted/Local/Parquet/Series/2026/11/26/series.parquet", true)]
    public async Task An_accepted_file_gets_a_Parquet_equal_to_its_CSV_named_in_the_manifest(string sample, string key, string trustedKey, bool gzip)
    {
        using var lake = await NewLakeAsync();
        var csv = await File.ReadAllBytesAsync(RepoPaths.Samples(sample));
        var record = await LandAsync(lake, key, gzip ? Gzip(csv) : csv);

        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal([trustedKey], await lake.AllKeysAsync("Trusted/"));
        using var file = await ParquetFile.DownloadAsync(lake, trustedKey);
        file.AssertEqualsCsv(csv);

        using var manifest = await lake.GetJsonAsync(record.ReportKey!);
        var trusted = manifest.RootElement.GetProperty("trusted");
        Assert.Equal(trustedKey, trusted.GetProperty("key").GetString());
        Assert.Equal(2000, trusted.GetProperty("rows").GetInt64());
        Assert.Equal(new FileInfo(file.Path).Length, trusted.GetProperty("bytes").GetInt64());
        Assert.Equal(1, trusted.GetProperty("rowGroups").GetInt32());
        Assert.Equal(0, await OpenUploadsAsync(lake));

        // The same event again: a duplicate, and the trusted object is not written again.
        var again = await LandAgainAsync(lake, key, record);
        Assert.Equal(Outcomes.Duplicate, again.Outcome);
        Assert.Single(await lake.AllVersionsAsync(trustedKey));
    }

    [Fact]
    public async Task A_rejected_file_writes_no_Parquet_and_leaves_no_open_upload()
    {
        using var lake = await NewLakeAsync();
        var record = await LandAsync(lake, Key, TestFiles.BadMovies);

        Assert.Equal(Outcomes.Rejected, record.Outcome);
        Assert.Empty(await lake.AllKeysAsync("Trusted/"));
        Assert.Equal(0, await OpenUploadsAsync(lake));
    }

    [Fact]
    public async Task TRUSTED_FORMAT_none_writes_no_Parquet_and_no_trusted_section()
    {
        using var lake = await NewLakeAsync();
        var record = await LandAsync(lake, Key, TestFiles.Movies, lake.Config(c => c with { TrustedFormat = TrustedFormat.None }));

        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Empty(await lake.AllKeysAsync("Trusted/"));
        using var manifest = await lake.GetJsonAsync(record.ReportKey!);
        Assert.False(manifest.RootElement.TryGetProperty("trusted", out _));
    }

    [Fact]
    public async Task A_valid_value_beyond_its_Parquet_type_rejects_the_file_with_invalid_value_and_no_Parquet()
    {
        using var lake = await NewLakeAsync();
        var csv = Encoding.UTF8.GetString(TestFiles.Movies);
        var firstRow = csv.IndexOf('\n') + 1;
        var row = csv[firstRow..csv.IndexOf('\n', firstRow)].Split('|');
        row[7] = "99999999999999999999"; // numeroVotos: a valid integer (digits), beyond INT64
        var record = await LandAsync(lake, Key, Encoding.UTF8.GetBytes(csv[..firstRow] + string.Join('|', row) + "\n"));

        Assert.Equal(Outcomes.Rejected, record.Outcome);
        using var report = await lake.GetJsonAsync(record.ReportKey!);
        var error = report.RootElement.GetProperty("validation").GetProperty("errors")[0];
        Assert.Equal(("invalid-value", "numeroVotos", 2L), (error.GetProperty("code").GetString(), error.GetProperty("column").GetString(), error.GetProperty("line").GetInt64()));
        Assert.Empty(await lake.AllKeysAsync("Trusted/"));
        Assert.Equal(0, await OpenUploadsAsync(lake));
    }

    [Fact]
    public async Task A_key_whose_trusted_key_would_pass_1024_bytes_is_skipped()
    {
        using var lake = await NewLakeAsync();
        // Without a .csv suffix the trusted key (Trusted/Local/Parquet/Movies/yyyy/MM/dd/<path>.parquet) is the longest.
        var overhead = $"Trusted/Local/Parquet/Movies/{TestLake.DatePath}/".Length + ".parquet".Length - "landing/".Length;
        var fits = "landing/" + new string('k', 1024 - overhead - "landing/".Length);
        var tooLong = fits + "k";

        var accepted = await LandAsync(lake, fits, TestFiles.Movies);
        var skipped = await LandAsync(lake, tooLong, TestFiles.Movies);

        Assert.Equal(Outcomes.Accepted, accepted.Outcome);
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(Assert.Single(await lake.AllKeysAsync("Trusted/"))));
        Assert.Equal(Outcomes.Skipped, skipped.Outcome);
        Assert.Contains("too long", skipped.Message, StringComparison.Ordinal);
    }

    private static async Task<RecordResult> LandAgainAsync(TestLake lake, string key, RecordResult first)
    {
        var head = await lake.S3.GetObjectMetadataAsync(lake.Bucket, key);
        return await lake.InvokeOneAsync(EventJson.S3Event(lake.Bucket, key, head.ETag, first.VersionId, head.ContentLength));
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(data);
        return output.ToArray();
    }
}
