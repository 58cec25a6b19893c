using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using IngestLambda.Cli;
using IngestLambda.Events;
using IngestLambda.Ingestion;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Ingestion;

/// <summary>The pipeline end to end against a real S3 API (moto_server): keys, bytes, metadata, reports and the outcomes of DESIGN.md.</summary>
public sealed class IngestionTests(MotoServer moto) : LakeTests(moto)
{
    private const string Raw = "Raw/Local/CSV/";

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
        Assert.Equal(sha, head.Metadata["ingest-sha256"]);
        Assert.Equal("Movies", head.Metadata["ingest-dataset"]);
        Assert.Equal("text/csv", head.Headers.ContentType);

        using var manifest = await lake.GetJsonAsync(manifestKey);
        var root = manifest.RootElement;
        Assert.Equal(1, root.GetProperty("reportVersion").GetInt32());
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
        Assert.Equal(sha, root.GetProperty("validation").GetProperty("sha256").GetString());
        Assert.Equal(0, root.GetProperty("validation").GetProperty("errorCount").GetInt64());

        // The landing object is untouched: same bytes, still one version.
        Assert.Equal(sha, TestLake.Sha256(await lake.GetBytesAsync("landing/team-a/movies.csv")));
        Assert.Equal(1, await lake.CountVersionsAsync("landing/team-a/movies.csv"));
        Assert.Equal([destination, "landing/team-a/movies.csv", manifestKey], await lake.ListKeysAsync());
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
    public async Task The_same_event_twice_is_a_duplicate_and_writes_no_second_version()
    {
        using var lake = await NewLakeAsync();
        var eventJson = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);

        var first = await lake.InvokeOneAsync(eventJson);
        var second = await lake.InvokeOneAsync(eventJson);

        Assert.Equal(Outcomes.Accepted, first.Outcome);
        Assert.Equal(Outcomes.Duplicate, second.Outcome);
        Assert.Equal(first.DestinationKey, second.DestinationKey);
        Assert.Equal(first.ReportKey, second.ReportKey);
        Assert.Equal("Movies", second.Dataset);
        Assert.Equal(2000, second.Rows);
        Assert.Equal(1, await lake.CountVersionsAsync(first.DestinationKey!));
        Assert.Equal(1, await lake.CountVersionsAsync(first.ReportKey!));
    }

    [Fact]
    public async Task An_event_without_etag_or_version_is_still_recognised_as_a_duplicate_after_reading()
    {
        // Nothing identifies the version before the read, so the check after validation (also the one that catches
        // two racing runs) must find it.
        using var lake = await NewLakeAsync();
        await lake.PutAsync("landing/movies.csv", TestFiles.Movies);
        var eventJson = EventJson.S3Event(lake.Bucket, "landing/movies.csv", eTag: null, versionId: null, TestFiles.Movies.Length);

        var first = await lake.InvokeOneAsync(eventJson);
        var second = await lake.InvokeOneAsync(eventJson);

        Assert.Equal(Outcomes.Accepted, first.Outcome);
        Assert.Equal(Outcomes.Duplicate, second.Outcome);
        Assert.DoesNotContain("not read again", second.Message, StringComparison.Ordinal);
        Assert.Equal(1, await lake.CountVersionsAsync(first.DestinationKey!));
        Assert.Equal(1, await lake.CountVersionsAsync(first.ReportKey!));
    }

    [Fact]
    public async Task A_duplicate_is_recognised_without_reading_the_object_again()
    {
        using var lake = await NewLakeAsync();
        var landed = await lake.PutAsync("landing/movies.csv", TestFiles.Movies);
        var eventJson = EventJson.S3Event(lake.Bucket, "landing/movies.csv", landed.ETag, landed.VersionId, TestFiles.Movies.Length);
        Assert.Equal(Outcomes.Accepted, (await lake.InvokeOneAsync(eventJson)).Outcome);
        // Remove the landed version for good: a run that tried to read it would find it missing.
        await lake.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = lake.Bucket, Key = "landing/movies.csv", VersionId = landed.VersionId });

        var again = await lake.InvokeOneAsync(eventJson);

        Assert.Equal(Outcomes.Duplicate, again.Outcome);
        Assert.Contains("not read again", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_is_also_recognised_by_etag_when_the_events_carry_no_version_id()
    {
        using var lake = await NewLakeAsync();
        var eventJson = await lake.LandAsync("landing/bad.csv", TestFiles.BadMovies, withVersionId: false);

        Assert.Equal(Outcomes.Rejected, (await lake.InvokeOneAsync(eventJson)).Outcome);
        var again = await lake.InvokeOneAsync(eventJson);

        Assert.Equal(Outcomes.Duplicate, again.Outcome);
        Assert.Equal(1, await lake.CountVersionsAsync($"quarantine/{TestLake.DatePath}/bad.csv"));
        Assert.Equal(1, await lake.CountVersionsAsync($"quarantine/{TestLake.DatePath}/bad.csv.report.json"));
    }

    [Fact]
    public async Task A_retry_that_finds_the_copy_without_its_manifest_writes_the_manifest_and_copies_nothing()
    {
        using var lake = await NewLakeAsync();
        var eventJson = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        var first = await lake.InvokeOneAsync(eventJson);
        // Imitate a crash between the copy and the manifest.
        await lake.S3.DeleteObjectAsync(lake.Bucket, first.ReportKey);

        var retry = await lake.InvokeOneAsync(eventJson);

        Assert.Equal(Outcomes.Accepted, retry.Outcome);
        Assert.Contains("interrupted run", retry.Message, StringComparison.Ordinal);
        Assert.Equal(1, await lake.CountVersionsAsync(first.DestinationKey!));
        using var manifest = await lake.GetJsonAsync(first.ReportKey!);
        Assert.Equal(2000, manifest.RootElement.GetProperty("validation").GetProperty("rows").GetInt64());
        Assert.Equal(Outcomes.Duplicate, (await lake.InvokeOneAsync(eventJson)).Outcome);
    }

    [Fact]
    public async Task A_new_upload_of_the_same_name_replaces_the_earlier_copy()
    {
        using var lake = await NewLakeAsync();
        Assert.Equal(Outcomes.Accepted, (await lake.InvokeOneAsync(await lake.LandAsync("landing/movies.csv", TestFiles.Movies))).Outcome);
        var shorter = TestFiles.Movies[..(Array.LastIndexOf(TestFiles.Movies[..^1], (byte)'\n') + 1)];

        var second = await lake.InvokeOneAsync(await lake.LandAsync("landing/movies.csv", shorter));

        Assert.Equal(Outcomes.Accepted, second.Outcome);
        Assert.Equal(1999, second.Rows);
        Assert.Equal(TestLake.Sha256(shorter), TestLake.Sha256(await lake.GetBytesAsync(second.DestinationKey!)));
        Assert.Equal(2, await lake.CountVersionsAsync(second.DestinationKey!));
    }

    [Fact]
    public async Task An_overwrite_after_the_event_is_superseded_by_etag_and_by_version_id()
    {
        using var lake = await NewLakeAsync();
        var byVersion = await lake.LandAsync("landing/movies.csv", TestFiles.Movies, withVersionId: true);
        var byETag = EventJson.S3Event(lake.Bucket, "landing/movies.csv", (await lake.HeadAsync("landing/movies.csv")).ETag, null, TestFiles.Movies.Length);
        await lake.PutAsync("landing/movies.csv", TestFiles.BadMovies);

        var result = await lake.InvokeAsync($"{{\"Records\":[{Inner(byVersion)},{Inner(byETag)}]}}");

        Assert.All(result.Records, r => Assert.Equal(Outcomes.Superseded, r.Outcome));
        Assert.Empty(await lake.ListKeysAsync(Raw));
        Assert.Empty(await lake.ListKeysAsync("quarantine/"));
    }

    [Fact]
    public async Task A_deleted_object_is_missing_with_or_without_a_version_id()
    {
        using var lake = await NewLakeAsync();
        var byVersion = await lake.LandAsync("landing/movies.csv", TestFiles.Movies, withVersionId: true);
        var byETag = EventJson.S3Event(lake.Bucket, "landing/movies.csv", (await lake.HeadAsync("landing/movies.csv")).ETag, null, TestFiles.Movies.Length);
        await lake.S3.DeleteObjectAsync(lake.Bucket, "landing/movies.csv");

        var result = await lake.InvokeAsync($"{{\"Records\":[{Inner(byVersion)},{Inner(byETag)}]}}");

        Assert.All(result.Records, r => Assert.Equal(Outcomes.Missing, r.Outcome));
        Assert.Equal(["landing/movies.csv"], (await lake.S3.ListVersionsAsync(lake.Bucket)).Versions.Select(v => v.Key).Distinct());
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
        var plan = new CopyPlan(lake.Bucket, "landing/not-there.csv", null, "abc", 12 * 1024 * 1024, "text/csv",
            lake.Bucket, "Raw/Local/CSV/Movies/x.csv", _ => { });

        await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(() => copy.CopyAsync(plan, CancellationToken.None));

        Assert.Empty((await lake.S3.ListMultipartUploadsAsync(lake.Bucket)).MultipartUploads ?? []);
        Assert.Empty(await lake.ListKeysAsync());
    }

    [Theory]
    [InlineData("landing/my movies.csv", false)]
    [InlineData("landing/filmes ação+drama 100%.csv", false)]
    [InlineData("landing/映画/リスト 1.csv", false)]
    [InlineData("landing/sub dir/café+crème.csv", true)]
    public async Task Keys_with_spaces_accents_plus_and_CJK_are_decoded_and_keep_their_path(string key, bool slashAsPercent)
    {
        using var lake = await NewLakeAsync();
        var eventJson = await lake.LandAsync(key, TestFiles.Movies, slashAsPercent: slashAsPercent);

        var record = await lake.InvokeOneAsync(eventJson);

        var path = key["landing/".Length..];
        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal(key, record.Key);
        Assert.Equal($"{Raw}Movies/{TestLake.DatePath}/{path}", record.DestinationKey);
        Assert.Equal(TestLake.Sha256(TestFiles.Movies), TestLake.Sha256(await lake.GetBytesAsync(record.DestinationKey!)));
        var head = await lake.HeadAsync(record.DestinationKey!);
        Assert.Equal(key, Uri.UnescapeDataString(head.Metadata["ingest-source-key"]));
    }

    [Fact]
    public async Task Two_landing_keys_with_the_same_file_name_on_the_same_day_keep_separate_copies_and_manifests()
    {
        using var lake = await NewLakeAsync();
        var vendorB = TestFiles.Movies.AsSpan(0, TestFiles.Movies.AsSpan().IndexOf((byte)'\n') + 1).ToArray()
            .Concat(TestFiles.Movies.Skip(TestFiles.Movies.Length / 2).SkipWhile(b => b != (byte)'\n').Skip(1)).ToArray();
        var a = await lake.InvokeOneAsync(await lake.LandAsync("landing/vendor-a/daily.csv", TestFiles.Movies));
        var b = await lake.InvokeOneAsync(await lake.LandAsync("landing/vendor-b/daily.csv", vendorB));

        Assert.Equal(Outcomes.Accepted, a.Outcome);
        Assert.Equal(Outcomes.Accepted, b.Outcome);
        Assert.Equal($"{Raw}Movies/{TestLake.DatePath}/vendor-a/daily.csv", a.DestinationKey);
        Assert.Equal($"{Raw}Movies/{TestLake.DatePath}/vendor-b/daily.csv", b.DestinationKey);
        Assert.Equal(TestLake.Sha256(TestFiles.Movies), TestLake.Sha256(await lake.GetBytesAsync(a.DestinationKey!)));
        Assert.Equal(TestLake.Sha256(vendorB), TestLake.Sha256(await lake.GetBytesAsync(b.DestinationKey!)));
        Assert.Equal($"manifests/Movies/{TestLake.DatePath}/vendor-a/daily.csv.json", a.ReportKey);
        Assert.Equal($"manifests/Movies/{TestLake.DatePath}/vendor-b/daily.csv.json", b.ReportKey);
        using var manifestB = await lake.GetJsonAsync(b.ReportKey!);
        Assert.Equal("landing/vendor-b/daily.csv", manifestB.RootElement.GetProperty("source").GetProperty("key").GetString());
    }

    [Fact]
    public async Task SQS_wrapped_events_test_events_and_keys_outside_the_landing_prefix()
    {
        using var lake = await NewLakeAsync();
        var movies = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        await lake.PutAsync("elsewhere/movies.csv", TestFiles.Movies);
        var outside = EventJson.S3Event(lake.Bucket, "elsewhere/movies.csv", "abc", null, 1);
        var folder = EventJson.S3Event(lake.Bucket, "landing/folder/", "d41d8cd98f00b204e9800998ecf8427e", null, 0);
        var removed = EventJson.S3Event(lake.Bucket, "landing/movies.csv", "abc", null, 1, eventName: "ObjectRemoved:Delete");
        var eventJson = EventJson.SqsEvent(movies, EventJson.TestEvent(lake.Bucket), outside, folder, removed, "not json");

        var result = await lake.InvokeAsync(eventJson);

        Assert.Equal([Outcomes.Accepted, Outcomes.Skipped, Outcomes.Skipped, Outcomes.Skipped, Outcomes.Skipped, Outcomes.Skipped],
            result.Records.Select(r => r.Outcome));
        Assert.Equal(["msg-0", "msg-1", "msg-2", "msg-3", "msg-4", "msg-5"], result.Records.Select(r => r.SqsMessageId));
        Assert.Contains("TestEvent", result.Records[1].Message, StringComparison.Ordinal);
        Assert.Contains("LANDING_PREFIX", result.Records[2].Message, StringComparison.Ordinal);
        Assert.Contains("folder marker", result.Records[3].Message, StringComparison.Ordinal);
        Assert.Contains("ObjectCreated", result.Records[4].Message, StringComparison.Ordinal);
        Assert.Contains("not JSON", result.Records[5].Message, StringComparison.Ordinal);
        Assert.Equal([$"{Raw}Movies/{TestLake.DatePath}/movies.csv"], await lake.ListKeysAsync(Raw));
    }

    [Theory]
    [InlineData("landing/..%2F..%2FRaw%2FLocal%2FCSV%2Fx.csv", "'..' path segment")]
    [InlineData("landing/a%00b.csv", "control character")]
    [InlineData("landing/bad%ZZ.csv", "percent-encoding")]
    [InlineData("landing/bad%C3.csv", "UTF-8")]
    public async Task Hostile_keys_are_skipped_and_nothing_is_written(string encodedKey, string reason)
    {
        using var lake = await NewLakeAsync();
        var eventJson = EventJson.S3Event(lake.Bucket, "placeholder", "abc", null, 10).Replace("placeholder", encodedKey, StringComparison.Ordinal);

        var record = await lake.InvokeOneAsync(eventJson);

        Assert.Equal(Outcomes.Skipped, record.Outcome);
        Assert.Contains(reason, record.Message, StringComparison.Ordinal);
        Assert.Empty(await lake.ListKeysAsync());
    }

    [Fact]
    public async Task A_key_too_long_to_record_in_metadata_is_skipped()
    {
        // 250 CJK characters: 750 bytes, a legal key, but 2,250 characters percent-encoded (S3 metadata holds 2 KB).
        using var lake = await NewLakeAsync();
        var key = "landing/" + new string('映', 250) + "/movies.csv";
        var eventJson = await lake.LandAsync(key, TestFiles.Movies);

        var record = await lake.InvokeOneAsync(eventJson);

        Assert.Equal(Outcomes.Skipped, record.Outcome);
        Assert.Contains("metadata", record.Message, StringComparison.Ordinal);
        Assert.Equal([key], await lake.ListKeysAsync());
    }

    [Fact]
    public async Task A_destination_bucket_and_other_prefixes_are_honoured()
    {
        using var lake = await NewLakeAsync();
        using var target = await NewLakeAsync(versioned: false);
        var eventJson = await lake.LandAsync("drop/in/movies.csv", TestFiles.Movies);
        var config = lake.Config(c => c with
        {
            DestinationBucket = target.Bucket,
            Prefixes = new() { Landing = "drop/", Raw = "lake/raw/", Quarantine = "lake/bad/", Manifest = "lake/manifests/" },
        });

        var record = await lake.InvokeOneAsync(eventJson, config);

        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal(target.Bucket, record.DestinationBucket);
        Assert.Equal([$"lake/manifests/Movies/{TestLake.DatePath}/in/movies.csv.json", $"lake/raw/Movies/{TestLake.DatePath}/in/movies.csv"], await target.ListKeysAsync());
        Assert.Equal(["drop/in/movies.csv"], await lake.ListKeysAsync());
    }

    [Fact]
    public async Task An_event_time_without_offset_is_UTC_and_a_late_evening_event_keeps_its_UTC_date()
    {
        using var lake = await NewLakeAsync();
        var put = await lake.PutAsync("landing/movies.csv", TestFiles.Movies);
        var motoStyle = EventJson.S3Event(lake.Bucket, "landing/movies.csv", put.ETag, null, TestFiles.Movies.Length, eventTime: "2026-12-31T23:59:59.123456");

        var record = await lake.InvokeOneAsync(motoStyle);

        Assert.Equal($"{Raw}Movies/2026/12/31/movies.csv", record.DestinationKey);
    }

    [Fact]
    public async Task An_S3_failure_fails_the_invocation_after_the_other_records_are_done()
    {
        using var lake = await NewLakeAsync();
        var good = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        var noBucket = EventJson.S3Event("ingest-no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "landing/x.csv", "abc", null, 10);
        using var function = lake.Function();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes($"{{\"Records\":[{Inner(noBucket)},{Inner(good)}]}}"));

        var failure = await Assert.ThrowsAsync<IngestFailedException>(() => function.HandleAsync(input, new LocalLambdaContext(TimeSpan.FromMinutes(1))));

        Assert.Equal([Outcomes.Failed, Outcomes.Accepted], failure.PartialResult.Records.Select(r => r.Outcome));
        Assert.Single(failure.InnerExceptions);
        Assert.Contains("landing/x.csv", failure.Message, StringComparison.Ordinal);
        Assert.Single(await lake.ListKeysAsync(Raw));
    }

    [Fact]
    public async Task An_SQS_batch_answers_its_failed_messages_once_in_batchItemFailures_and_succeeds()
    {
        using var lake = await NewLakeAsync();
        var good = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        var noBucket = EventJson.S3Event("ingest-no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "landing/x.csv", "abc", null, 10);
        var twoFailing = $"{{\"Records\":[{Inner(noBucket)},{Inner(noBucket)}]}}"; // one message, two failed records: named once
        using var function = lake.Function();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(EventJson.SqsEvent(good, twoFailing, EventJson.TestEvent(lake.Bucket))));

        await using var output = await function.HandleAsync(input, new LocalLambdaContext(TimeSpan.FromMinutes(1)));

        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["accepted", "failed", "failed", "skipped"], result.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        var failure = Assert.Single(result.GetProperty("batchItemFailures").EnumerateArray());
        Assert.Equal("msg-1", failure.GetProperty("itemIdentifier").GetString());
        Assert.Single(await lake.ListKeysAsync(Raw));
    }

    [Fact]
    public async Task An_SQS_batch_without_failures_answers_an_empty_batchItemFailures_and_a_direct_event_none()
    {
        using var lake = await NewLakeAsync();
        var good = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        using var function = lake.Function();

        await using var sqs = await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(EventJson.SqsEvent(good))), new LocalLambdaContext(TimeSpan.FromMinutes(1)));
        await using var direct = await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(good)), new LocalLambdaContext(TimeSpan.FromMinutes(1)));

        Assert.Equal(0, JsonDocument.Parse(sqs).RootElement.GetProperty("batchItemFailures").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(direct).RootElement.GetProperty("batchItemFailures").ValueKind);
    }

    [Fact]
    public async Task A_copy_that_cannot_finish_before_the_deadline_is_refused_and_nothing_is_written()
    {
        using var lake = await NewLakeAsync();
        var eventJson = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        var config = lake.Config(c => c with { DeadlineMargin = TimeSpan.FromSeconds(30) });
        using var function = lake.Function(config);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));

        var failure = await Assert.ThrowsAsync<IngestFailedException>(() => function.HandleAsync(input, new LocalLambdaContext(TimeSpan.FromSeconds(20))));

        Assert.IsType<DeadlineException>(Assert.Single(failure.InnerExceptions));
        Assert.Equal(["landing/movies.csv"], await lake.ListKeysAsync());
        // With time enough, the retry starts clean and succeeds.
        Assert.Equal(Outcomes.Accepted, (await lake.InvokeOneAsync(eventJson)).Outcome);
    }

    [Fact]
    public async Task Each_record_writes_one_JSON_log_line_with_EMF_metrics_for_ingested_files()
    {
        using var lake = await NewLakeAsync();
        var movies = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);

        await lake.InvokeAsync(EventJson.SqsEvent(movies, EventJson.TestEvent(lake.Bucket)));

        var lines = lake.Log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        var accepted = lines[0];
        Assert.Equal("INFO", accepted.GetProperty("level").GetString());
        Assert.Equal("accepted", accepted.GetProperty("outcome").GetString());
        Assert.Equal("landing/movies.csv", accepted.GetProperty("key").GetString());
        Assert.Equal("Movies", accepted.GetProperty("dataset").GetString());
        Assert.Equal(2000, accepted.GetProperty("rows").GetInt64());
        Assert.True(accepted.TryGetProperty("requestId", out _));
        Assert.True(accepted.TryGetProperty("durationMs", out _));
        var emf = accepted.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("IngestLambda", emf.GetProperty("Namespace").GetString());
        Assert.Contains(emf.GetProperty("Metrics").EnumerateArray(), m => m.GetProperty("Name").GetString() == "FilesAccepted");
        Assert.Equal(1, accepted.GetProperty("FilesAccepted").GetInt32());
        Assert.Equal(2000, accepted.GetProperty("Rows").GetInt64());
        Assert.Equal("skipped", lines[1].GetProperty("outcome").GetString());
        Assert.False(lines[1].TryGetProperty("_aws", out _));
    }

    [Fact]
    public async Task An_unknown_payload_is_answered_skipped_with_the_reason_never_a_failure_Lambda_retries()
    {
        using var lake = await NewLakeAsync();
        using var function = lake.Function();
        using var input = new MemoryStream("{\"hello\":1}"u8.ToArray());

        await using var output = await function.HandleAsync(input, new LocalLambdaContext(TimeSpan.FromMinutes(1)));

        var record = Assert.Single(JsonDocument.Parse(output).RootElement.GetProperty("records").EnumerateArray());
        Assert.Equal("skipped", record.GetProperty("outcome").GetString());
        Assert.Contains("detail-type", record.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_events_delivered_through_EventBridge_or_SNS_are_ingested_like_direct_ones()
    {
        using var lake = await NewLakeAsync();
        const string key = "landing/vendor a/movies+1.csv"; // EventBridge sends it as it is, S3 (and SNS) form-URL-encoded
        var landed = await lake.PutAsync(key, TestFiles.Movies);
        var eventBridge = $$$"""
            {"version":"0","id":"e1","detail-type":"Object Created","source":"aws.s3","account":"123456789012","time":"{{{TestLake.EventTime}}}",
             "region":"us-east-1","resources":["arn:aws:s3:::{{{lake.Bucket}}}"],
             "detail":{"version":"0","bucket":{"name":"{{{lake.Bucket}}}"},
               "object":{"key":"{{{key}}}","size":{{{TestFiles.Movies.Length}}},"etag":{{{JsonSerializer.Serialize(landed.ETag.Trim('"'))}}},"version-id":"{{{landed.VersionId}}}","sequencer":"0067458A1B2C3D4E5F"},
               "request-id":"r","requester":"123456789012","source-ip-address":"127.0.0.1","reason":"PutObject"}}
            """;
        var s3Event = EventJson.S3Event(lake.Bucket, key, landed.ETag, landed.VersionId, TestFiles.Movies.Length);
        var sns = """{"Records":[{"EventSource":"aws:sns","EventVersion":"1.0","Sns":{"Type":"Notification","MessageId":"m","Message":""" + JsonSerializer.Serialize(s3Event) + "}}]}";

        var first = await lake.InvokeOneAsync(eventBridge);
        var second = await lake.InvokeOneAsync(sns);

        Assert.Equal(Outcomes.Accepted, first.Outcome);
        Assert.Equal(key, first.Key);
        Assert.Equal($"{Raw}Movies/{TestLake.DatePath}/vendor a/movies+1.csv", first.DestinationKey);
        Assert.Equal(TestLake.Sha256(TestFiles.Movies), TestLake.Sha256(await lake.GetBytesAsync(first.DestinationKey!)));
        Assert.Equal(Outcomes.Duplicate, second.Outcome); // the same object version, announced again through SNS
        Assert.Equal(key, second.Key);
        Assert.Equal(first.DestinationKey, second.DestinationKey);
    }

    /// <summary>The single record of an S3 event JSON, to combine several into one event.</summary>
    private static string Inner(string s3EventJson) =>
        JsonDocument.Parse(s3EventJson).RootElement.GetProperty("Records")[0].GetRawText();
}
