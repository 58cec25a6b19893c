using IngestLambda.Core.Reports;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Ingestion;

/// <summary>
/// Where a landing key goes, against moto_server: decoding, the path kept below the landing prefix, a key too long
/// for metadata, configured buckets and prefixes, and the UTC date of the partition. Hostile keys are in
/// Reliability/HostileInputTests.
/// </summary>
public sealed class LandingKeyTests(MotoServer moto) : LakeTests(moto)
{
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
            Prefixes = new() { Landing = "drop/", Raw = "lake/raw/", Quarantine = "lake/bad/", Manifest = "lake/manifests/", Trusted = "lake/typed/" },
        });

        var record = await lake.InvokeOneAsync(eventJson, config);

        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal(target.Bucket, record.DestinationBucket);
        Assert.Equal([$"lake/manifests/Movies/{TestLake.DatePath}/in/movies.csv.json", $"lake/raw/Movies/{TestLake.DatePath}/in/movies.csv",
            $"lake/typed/Movies/{TestLake.DatePath}/in/movies.parquet"], await target.ListKeysAsync());
        Assert.Equal(["drop/in/movies.csv"], await lake.ListKeysAsync());
    }

    [Fact]
    public async Task An_event_time_without_offset_is_UTC_and_a_late_evening_event_keeps_its_UTC_date()
    {
        using var lake = await NewLakeAsync();
        var put = await lake.PutAsync("landing/movies.csv", TestFiles.Movies);
        // A past year's last second (an event time more than a day ahead of now is skipped: AdmissionTests).
        var motoStyle = EventJson.S3Event(lake.Bucket, "landing/movies.csv", put.ETag, null, TestFiles.Movies.Length, eventTime: "2025-12-31T23:59:59.123456");

        var record = await lake.InvokeOneAsync(motoStyle);

        Assert.Equal($"{Raw}Movies/2025/12/31/movies.csv", record.DestinationKey);
    }
}
