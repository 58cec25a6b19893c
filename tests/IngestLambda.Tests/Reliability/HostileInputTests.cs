using System.Text.Json;
using System.Text;
using IngestLambda.Configuration;
using IngestLambda.Core.Lake;
using IngestLambda.Core.Reports;
using IngestLambda.Host.Cli;
using IngestLambda.Host;
using IngestLambda.Lake;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// Hostile keys and contents, all in one lake with non-default prefixes: each is skipped or quarantined with a report
/// that says why, and afterwards every key (every version) in the bucket lies under one of the configured prefixes.
/// A key too long for metadata is in Ingestion/LandingKeyTests; validator fuzzing is in
/// IngestLambda.Core.Tests/Validation/ValidatorFuzzTests.cs.
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Integration")] // the base class\'s trait does not reach a class with traits of its own
public sealed class HostileInputTests(MotoServer moto) : LakeTests(moto)
{
    private static readonly LakePrefixes Prefixes = new() { Landing = "in/", Raw = "lake/raw/", Quarantine = "lake/bad/", Manifest = "lake/manifests/", Trusted = "lake/typed/" };

    [Theory]
    [InlineData("in/..", "'..' path segment")]
    [InlineData("in/../lake/raw/Movies/x.csv", "'..' path segment")]
    [InlineData("in/a/./b.csv", "'.' path segment")]
    [InlineData("in/%2E%2E/%2E%2E/x.csv", "'..' path segment")]
    [InlineData("in/..%2F..%2Flake%2Fraw%2Fx.csv", "'..' path segment")]
    [InlineData("in/a%00b.csv", "control character U+0000")]
    [InlineData("in/line%0Abreak.csv", "control character U+000A")]
    [InlineData("in/carriage%0D.csv", "control character U+000D")]
    [InlineData("in/escape%1B%5B31m.csv", "control character U+001B")]
    [InlineData("in/del%7F.csv", "control character U+007F")]
    [InlineData("in/c1%C2%85.csv", "control character U+0085")]
    [InlineData("in/x%2", "percent-encoding")]
    [InlineData("in/x%", "percent-encoding")]
    [InlineData("in/x%G0.csv", "percent-encoding")]
    [InlineData("in/bad%ZZ.csv", "percent-encoding")]
    [InlineData("in/bad%C3.csv", "UTF-8")]
    [InlineData("in/over%C0%AFlong.csv", "UTF-8")]
    [InlineData("in/surrogate%ED%A0%80.csv", "UTF-8")]
    [InlineData("in//movies.csv", "empty path segment")]
    [InlineData("in/a%2F%2Fmovies.csv", "empty path segment")]
    [InlineData("in/..%5C..%5Clake%5Craw%5Cx.csv", "'..' path segment")]
    [InlineData("in/%E2%80%AEvsc.csv", "U+202E")]
    [InlineData("in/a%E2%80%A8b.csv", "U+2028")]
    [InlineData("in/a%E2%80%A9b.csv", "U+2029")]
    public async Task Hostile_keys_are_skipped_with_the_reason_and_write_nothing(string encodedKey, string reason)
    {
        using var lake = await NewLakeAsync();
        var eventJson = EventJson.S3Event(lake.Bucket, "placeholder", "abc", null, 10).Replace("placeholder", encodedKey, StringComparison.Ordinal);

        var record = await lake.InvokeOneAsync(eventJson, Config(lake));

        Assert.Equal(Outcomes.Skipped, record.Outcome);
        Assert.Contains(reason, record.Message, StringComparison.Ordinal);
        Assert.Empty(await lake.AllVersionsAsync());
    }

    [Fact]
    public async Task A_key_whose_longest_derived_key_is_1024_bytes_is_ingested_and_one_byte_more_is_skipped()
    {
        using var lake = await NewLakeAsync();
        var config = Config(lake);
        // The lake keys keep the path below the landing prefix (docs/contracts.md); the longest one this key produces is the
        // claim beside the manifest: lake/manifests/Movies/yyyy/MM/dd/<path>.json.claim. S3 allows 1,024 bytes.
        var overhead = $"{Prefixes.Manifest}Movies/{TestLake.DatePath}/".Length + ".json.claim".Length - Prefixes.Landing.Length;
        var fits = Pad("in/" + string.Concat(Enumerable.Repeat("d/", 200)), "/movies.csv", 1024 - overhead);
        var tooLong = Pad("in/", ".csv", 1024 - overhead + 1);

        var accepted = await lake.InvokeOneAsync(await lake.LandAsync(fits, TestFiles.Movies), config);
        var skipped = await lake.InvokeOneAsync(await lake.LandAsync(tooLong, TestFiles.Movies), config);

        Assert.Equal(Outcomes.Accepted, accepted.Outcome);
        Assert.Equal($"lake/raw/Movies/{TestLake.DatePath}/{fits["in/".Length..]}", accepted.DestinationKey);
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(accepted.ReportKey + ".claim"));
        Assert.Equal(fits, Uri.UnescapeDataString((await lake.HeadAsync(accepted.DestinationKey!)).Metadata["ingest-source-key"]));
        Assert.Equal(Outcomes.Skipped, skipped.Outcome);
        Assert.Contains("too long", skipped.Message, StringComparison.Ordinal);
        await AssertEverythingUnderThePrefixesAsync(lake);
        Assert.Equal(3, (await lake.AllKeysAsync("lake/")).Count); // Raw copy, manifest, trusted Parquet
    }

    [Fact]
    public async Task Binary_huge_line_and_large_files_are_quarantined_byte_identical_with_a_report_saying_why()
    {
        using var lake = await NewLakeAsync();
        var config = Config(lake);
        var random = new Random(7);
        var binary = new byte[256 * 1024];
        random.NextBytes(binary);
        // A header, then one 3 MiB line (over MAX_LINE_BYTES, 1 MiB) with no line break at all.
        var hugeLine = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(TestFiles.Movies).Split('\n')[0] + "\n" + new string('x', 3 * 1024 * 1024));
        // A large file (11 MiB) whose only fault is near the end: a row with a NUL.
        var lateFault = TestFiles.LargeMovies.ToArray();
        var lastRow = Array.LastIndexOf(lateFault, (byte)'\n', lateFault.Length - 2) + 1;
        lateFault[lastRow + 3] = 0;
        var headerOnlyNul = "\0\0\0\0"u8.ToArray();
        var cases = new (string Key, byte[] Body, string Code)[]
        {
            ("in/random.bin.csv", binary, "unknown-header"),
            ("in/one huge line.csv", hugeLine, "line-too-long"),
            ("in/large late fault.csv", lateFault, "nul-byte"),
            ("in/nuls.csv", headerOnlyNul, "unknown-header"),
            ("in/empty.csv", [], "empty-file"),
        };

        foreach (var (key, body, code) in cases)
        {
            var record = await lake.InvokeOneAsync(await lake.LandAsync(key, body), config);

            Assert.True(record.Outcome == Outcomes.Rejected, $"{key}: {record.Outcome} {record.Message}");
            Assert.Contains(code, record.Message, StringComparison.Ordinal);
            Assert.StartsWith("lake/bad/", record.DestinationKey, StringComparison.Ordinal);
            Assert.Equal(TestLake.Sha256(body), TestLake.Sha256(await lake.GetBytesAsync(record.DestinationKey!)));
            using var report = await lake.GetJsonAsync(record.ReportKey!);
            var validation = report.RootElement.GetProperty("validation");
            Assert.Equal(body.Length, validation.GetProperty("bytes").GetInt64());
            var codes = validation.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()).ToList();
            Assert.Contains(code, codes);
            // The report stays small whatever the file: excerpts are bounded.
            Assert.True((await lake.GetBytesAsync(record.ReportKey!)).Length < 64 * 1024, $"{key}: report too large");
        }
        await AssertEverythingUnderThePrefixesAsync(lake);
        Assert.Empty(await lake.AllKeysAsync("lake/raw/"));
    }

    [Fact]
    public async Task An_event_time_in_year_9999_is_skipped_and_writes_nothing()
    {
        using var lake = await NewLakeAsync();
        var put = await lake.PutAsync("in/movies.csv", TestFiles.Movies);
        var eventJson = EventJson.S3Event(lake.Bucket, "in/movies.csv", put.ETag, put.VersionId, TestFiles.Movies.Length, eventTime: "9999-12-31T23:59:59.000Z");

        var record = await lake.InvokeOneAsync(eventJson, Config(lake));

        Assert.Equal(Outcomes.Skipped, record.Outcome);
        Assert.Contains("more than a day after now", record.Message, StringComparison.Ordinal);
        Assert.Empty(await lake.AllKeysAsync("lake/"));
    }

    [Fact]
    public async Task An_absurd_size_in_the_event_is_a_hint_the_real_size_rules()
    {
        using var lake = await NewLakeAsync();
        var put = await lake.PutAsync("in/movies.csv", TestFiles.Movies);
        // 10^15 bytes would need 78 million seconds to read at the budget's speed; the object is 327 KB.
        var eventJson = EventJson.S3Event(lake.Bucket, "in/movies.csv", put.ETag, put.VersionId, 1_000_000_000_000_000);

        var record = await lake.InvokeOneAsync(eventJson, Config(lake));

        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal(TestFiles.Movies.Length, record.Bytes);
    }

    [Fact]
    public async Task A_size_understated_in_the_event_does_not_get_a_large_object_read_past_the_deadline()
    {
        using var lake = await NewLakeAsync();
        var put = await lake.PutAsync("in/movies.csv", TestFiles.Movies);
        var eventJson = EventJson.S3Event(lake.Bucket, "in/movies.csv", put.ETag, put.VersionId, size: 1);
        // Reading 327 KB at 1,000 B/s takes 5 minutes; 31 s remain and the margin is 30 s.
        var config = lake.Config(c => c with { Prefixes = Prefixes, ReadBytesPerSecond = 1000, DeadlineMargin = TimeSpan.FromSeconds(30) });

        var failure = await Assert.ThrowsAsync<IngestFailedException>(() => lake.InvokeAsync(eventJson, config, new LocalLambdaContext(TimeSpan.FromSeconds(31))));

        var deadline = Assert.IsType<DeadlineException>(Assert.Single(failure.InnerExceptions));
        Assert.Contains($"({TestFiles.Movies.Length} bytes)", deadline.Message, StringComparison.Ordinal);
        Assert.Empty(await lake.AllKeysAsync("lake/"));
    }

    private static IngestConfig Config(TestLake lake) => lake.Config(c => c with { Prefixes = Prefixes });

    /// <summary>A key of exactly <paramref name="bytes"/> UTF-8 bytes: prefix, filler, suffix.</summary>
    private static string Pad(string prefix, string suffix, int bytes) => prefix + new string('k', bytes - prefix.Length - suffix.Length) + suffix;

    private static async Task AssertEverythingUnderThePrefixesAsync(TestLake lake)
    {
        string[] allowed = [Prefixes.Landing, Prefixes.Raw, Prefixes.Quarantine, Prefixes.Manifest, Prefixes.Trusted];
        var versions = await lake.AllVersionsAsync();
        Assert.NotEmpty(versions);
        var outside = versions.Where(v => !allowed.Any(p => v.Key.StartsWith(p, StringComparison.Ordinal))).Select(v => v.Key).ToList();
        Assert.True(outside.Count == 0, "written outside the prefixes: " + JsonSerializer.Serialize(outside));
        Assert.DoesNotContain(versions, v => v.Key.EndsWith(RecordClaims.Suffix, StringComparison.Ordinal)); // no claim left, not even an old version
    }
}
