using Amazon.S3.Model;
using IngestLambda.Core.Reports;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Ingestion;

/// <summary>
/// The same event again, or an event for a version that is no longer there (docs/contracts.md "Outcomes", against
/// moto_server): duplicate, superseded and missing, and a retry that finds its copy without the manifest.
/// </summary>
public sealed class RepeatedEventTests(MotoServer moto) : LakeTests(moto)
{
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

        var result = await lake.InvokeAsync(EventJson.Combined(byVersion, byETag));

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

        var result = await lake.InvokeAsync(EventJson.Combined(byVersion, byETag));

        Assert.All(result.Records, r => Assert.Equal(Outcomes.Missing, r.Outcome));
        Assert.Equal(["landing/movies.csv"], (await lake.S3.ListVersionsAsync(lake.Bucket)).Versions.Select(v => v.Key).Distinct());
    }
}
