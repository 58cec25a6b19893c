using Amazon.S3.Model;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Lake;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Ingestion;

/// <summary>
/// The pipeline end to end against a real S3 API (moto_server): the bytes, metadata, manifests and reports of each
/// outcome, for single-part and multipart objects. Repeated events, landing keys and event shapes have their own
/// classes beside this one.
/// </summary>
public sealed class IngestionTests(MotoServer moto) : LakeTests(moto)
{
    [Fact]
    public async Task A_valid_movies_file_is_copied_byte_identical_with_metadata_and_a_manifest()
    {
        using var lake = await NewLakeAsync();
        var landed = await lake.PutAsync("landing/team-a/movies.csv", TestFiles.Movies);
        var record = await lake.InvokeOneAsync(EventJson.S3Event(lake.Bucket, "landing/team-a/movies.csv", landed.ETag, landed.VersionId, TestFiles.Movies.Length));

        var destination = $"{Raw}Movies/{TestLake.DatePath}/team-a/movies.csv";
        var manifestKey = $"manifests/Movies/{TestLake.DatePath}/team-a/movies.csv.json";
        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal("Movies", record.Dataset);
        Assert.Equal(destination, record.DestinationKey);
        Assert.Equal(manifestKey, record.ReportKey);
        Assert.Equal(lake.Bucket, record.DestinationBucket);
        Assert.Equal(2000, record.Rows);
        Assert.Equal(TestFiles.Movies.Length, record.Bytes);
        Assert.Equal(0, record.ErrorCount);

        var sha = TestLake.Sha256(TestFiles.Movies);
        Assert.Equal(sha, TestLake.Sha256(await lake.GetBytesAsync(destination)));

        var head = await lake.HeadAsync(destination);
        Assert.Equal("landing/team-a/movies.csv", head.Metadata["ingest-source-key"]);
        Assert.Equal(landed.ETag.Trim('"'), head.Metadata["x-amz-meta-ingest-source-etag"]);
        Assert.Equal(landed.VersionId, head.Metadata["ingest-source-version-id"]);
        Assert.Equal("2000", head.Metadata["ingest-rows"]);
        var crc64 = TestLake.Crc64Nvme(TestFiles.Movies);
        Assert.Equal(crc64, head.Metadata["ingest-crc64nvme"]);
        Assert.Null(head.Metadata["ingest-sha256"]); // opt-in: INTEGRITY_SHA256
        Assert.Equal("Movies", head.Metadata["ingest-dataset"]);
        Assert.Equal("text/csv", head.Headers.ContentType);

        using var manifest = await lake.GetJsonAsync(manifestKey);
        var root = manifest.RootElement;
        Assert.Equal(2, root.GetProperty("reportVersion").GetInt32());
        Assert.Equal("accepted", root.GetProperty("outcome").GetString());
        Assert.Equal("Movies", root.GetProperty("dataset").GetString());
        Assert.Equal(lake.Bucket, root.GetProperty("source").GetProperty("bucket").GetString());
        Assert.Equal("landing/team-a/movies.csv", root.GetProperty("source").GetProperty("key").GetString());
        Assert.Equal(landed.VersionId, root.GetProperty("source").GetProperty("versionId").GetString());
        Assert.Equal(landed.ETag.Trim('"'), root.GetProperty("source").GetProperty("eTag").GetString());
        Assert.Equal(TestFiles.Movies.Length, root.GetProperty("source").GetProperty("size").GetInt64());
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 15, 30, TimeSpan.Zero), root.GetProperty("source").GetProperty("eventTime").GetDateTimeOffset());
        Assert.Equal(destination, root.GetProperty("destination").GetProperty("key").GetString());
        Assert.Equal(2000, root.GetProperty("validation").GetProperty("rows").GetInt64());
        Assert.Equal(crc64, root.GetProperty("validation").GetProperty("crc64nvme").GetString());
        Assert.False(root.GetProperty("validation").TryGetProperty("sha256", out _));
        // The test client uploads with the SDK's default CRC32, which moto stores; the read checked it.
        var stored = root.GetProperty("validation").GetProperty("storedChecksum");
        Assert.Equal(("CRC32", "FULL_OBJECT", true),
            (stored.GetProperty("algorithm").GetString(), stored.GetProperty("type").GetString(), stored.GetProperty("verified").GetBoolean()));
        Assert.Equal(0, root.GetProperty("validation").GetProperty("errorCount").GetInt64());

        // The landing object is untouched: same bytes, still one version.
        Assert.Equal(sha, TestLake.Sha256(await lake.GetBytesAsync("landing/team-a/movies.csv")));
        Assert.Equal(1, await lake.CountVersionsAsync("landing/team-a/movies.csv"));
        Assert.Equal([destination, $"Trusted/Local/Parquet/Movies/{TestLake.DatePath}/team-a/movies.parquet", "landing/team-a/movies.csv", manifestKey],
            await lake.ListKeysAsync());
    }

    [Fact]
    public async Task A_series_file_goes_to_its_own_dataset_folder_without_a_version_id_in_the_event()
    {
        using var lake = await NewLakeAsync(versioned: false);
        var eventJson = await lake.LandAsync("landing/series.csv", TestFiles.Series, withVersionId: false, quoteETag: true);

        var record = await lake.InvokeOneAsync(eventJson);

        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal($"{Raw}Series/{TestLake.DatePath}/series.csv", record.DestinationKey);
        Assert.Equal(TestLake.Sha256(TestFiles.Series), TestLake.Sha256(await lake.GetBytesAsync(record.DestinationKey!)));
        var head = await lake.HeadAsync(record.DestinationKey!);
        Assert.Null(head.Metadata["ingest-source-version-id"]);
        Assert.Equal("Series", head.Metadata["ingest-dataset"]);
        Assert.Contains($"manifests/Series/{TestLake.DatePath}/series.csv.json", await lake.ListKeysAsync("manifests/"));
    }

    [Fact]
    public async Task A_bad_file_is_quarantined_with_a_report_naming_line_and_column()
    {
        using var lake = await NewLakeAsync();
        var eventJson = await lake.LandAsync("landing/bad movies.csv", TestFiles.BadMovies);

        var record = await lake.InvokeOneAsync(eventJson);

        var quarantined = $"quarantine/{TestLake.DatePath}/bad movies.csv";
        Assert.Equal(Outcomes.Rejected, record.Outcome);
        Assert.Equal(quarantined, record.DestinationKey);
        Assert.Equal(quarantined + ".report.json", record.ReportKey);
        Assert.True(record.ErrorCount >= 1);
        Assert.Contains("line 2, column notaMedia", record.Message, StringComparison.Ordinal);
        Assert.Equal(TestLake.Sha256(TestFiles.BadMovies), TestLake.Sha256(await lake.GetBytesAsync(quarantined)));

        using var report = await lake.GetJsonAsync(quarantined + ".report.json");
        Assert.Equal("rejected", report.RootElement.GetProperty("outcome").GetString());
        var error = report.RootElement.GetProperty("validation").GetProperty("errors")[0];
        Assert.Equal(2, error.GetProperty("line").GetInt64());
        Assert.Equal("notaMedia", error.GetProperty("column").GetString());
        Assert.Equal("invalid-value", error.GetProperty("code").GetString());

        Assert.Empty(await lake.ListKeysAsync(Raw));
        Assert.Empty(await lake.ListKeysAsync("manifests/"));
        Assert.Equal(TestLake.Sha256(TestFiles.BadMovies), TestLake.Sha256(await lake.GetBytesAsync("landing/bad movies.csv")));
    }

    [Fact]
    public async Task Big_objects_are_copied_in_parallel_parts_byte_identical_and_leave_no_upload_behind()
    {
        using var lake = await NewLakeAsync();
        var eventJson = await lake.LandAsync("landing/big movies.csv", TestFiles.LargeMovies);
        var config = lake.Config(c => c with { MultipartCopyThresholdBytes = 1024 * 1024, MultipartCopyPartBytes = IngestConfig.MinPartBytes });

        var record = await lake.InvokeOneAsync(eventJson, config);

        Assert.Equal(Outcomes.Accepted, record.Outcome);
        var copy = await lake.GetBytesAsync(record.DestinationKey!);
        Assert.Equal(TestLake.Sha256(TestFiles.LargeMovies), TestLake.Sha256(copy));
        var head = await lake.HeadAsync(record.DestinationKey!);
        Assert.EndsWith("-3", head.ETag.Trim('"'), StringComparison.Ordinal); // three parts
        Assert.Equal("landing/big%20movies.csv", head.Metadata["ingest-source-key"]);
        Assert.Empty((await lake.S3.ListMultipartUploadsAsync(lake.Bucket)).MultipartUploads ?? []);
        Assert.Equal(Outcomes.Duplicate, (await lake.InvokeOneAsync(eventJson, config)).Outcome);
    }

    [Fact]
    public async Task A_file_landed_by_multipart_upload_is_read_and_copied_byte_identical()
    {
        // Large uploads (aws s3 cp, TransferUtility) arrive as multipart objects with composite checksums.
        using var lake = await NewLakeAsync();
        var upload = await lake.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = lake.Bucket, Key = "landing/movies.csv" });
        var parts = new List<PartETag>();
        const int partSize = 5 * 1024 * 1024;
        for (int offset = 0, number = 1; offset < TestFiles.LargeMovies.Length; offset += partSize, number++)
        {
            var length = Math.Min(partSize, TestFiles.LargeMovies.Length - offset);
            var part = await lake.S3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = lake.Bucket, Key = "landing/movies.csv", UploadId = upload.UploadId, PartNumber = number,
                InputStream = new MemoryStream(TestFiles.LargeMovies, offset, length),
            });
            parts.Add(new PartETag(number, part.ETag));
        }
        await lake.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = lake.Bucket, Key = "landing/movies.csv", UploadId = upload.UploadId, PartETags = parts });
        var head = await lake.HeadAsync("landing/movies.csv");
        Assert.Contains("-", head.ETag, StringComparison.Ordinal); // really multipart
        var eventJson = EventJson.S3Event(lake.Bucket, "landing/movies.csv", head.ETag, null, TestFiles.LargeMovies.Length);

        var record = await lake.InvokeOneAsync(eventJson);

        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal(TestLake.Sha256(TestFiles.LargeMovies), TestLake.Sha256(await lake.GetBytesAsync(record.DestinationKey!)));

        // A server-side copy of it landed under another name (moto keeps the composite checksum on such copies).
        var copied = await lake.S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = lake.Bucket, SourceKey = "landing/movies.csv", DestinationBucket = lake.Bucket, DestinationKey = "landing/copied.csv" });
        var second = await lake.InvokeOneAsync(EventJson.S3Event(lake.Bucket, "landing/copied.csv", copied.ETag, null, TestFiles.LargeMovies.Length));
        Assert.Equal(Outcomes.Accepted, second.Outcome);
    }

    [Fact]
    public async Task A_failed_multipart_copy_is_aborted()
    {
        using var lake = await NewLakeAsync();
        using var s3 = S3ClientFactory.Create(lake.Config(), MotoServer.Credentials);
        var copy = new ServerSideCopy(s3, lake.Config() with { MultipartCopyThresholdBytes = 0 });
        var source = new SourceVersion(lake.Bucket, "landing/not-there.csv", "not-there.csv", null, "abc", null, DateTimeOffset.UnixEpoch)
            .PinnedTo(null, "abc", 12 * 1024 * 1024, "text/csv");

        await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(() => copy.CopyAsync(source, null, lake.Bucket, "Raw/Local/CSV/Movies/x.csv", _ => { }, CancellationToken.None));

        Assert.Empty((await lake.S3.ListMultipartUploadsAsync(lake.Bucket)).MultipartUploads ?? []);
        Assert.Empty(await lake.ListKeysAsync());
    }
}
