using IngestLambda.Configuration;
using IngestLambda.Core.Lake;
using IngestLambda.Events;
using IngestLambda.Lake;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Ingestion;

/// <summary>The pipeline's first step, pure: which records become work and why the others are skipped. No S3.</summary>
public sealed class AdmissionTests
{
    private static readonly Admission Default = new(new IngestConfig(), TimeProvider.System);

    private static IncomingRecord Record(string encodedKey, string? eventName = "ObjectCreated:Put", string? eventTime = "2026-11-26T10:15:30.000Z",
        string? bucket = "lake", string? versionId = "v1", string? eTag = "\"abc\"", string? sequencer = "0055AED6DCD90281E5") => new()
        {
            Kind = IncomingRecordKind.ObjectEvent,
            EventName = eventName,
            EventTime = eventTime,
            Bucket = bucket,
            EncodedKey = encodedKey,
            VersionId = versionId,
            ETag = eTag,
            Size = 123,
            Sequencer = sequencer,
        };

    [Fact]
    public void A_landed_file_is_admitted_with_its_decoded_key_unquoted_etag_version_size_sequencer_and_UTC_time()
    {
        var decision = Default.Admit(Record("landing/vendor+a/caf%C3%A9.csv"));

        var source = Assert.IsType<SourceVersion>(decision.Source);
        Assert.Null(decision.SkipReason);
        Assert.Equal(new SourceVersion("lake", "landing/vendor a/café.csv", "vendor a/café.csv", "v1", "abc", 123, new DateTimeOffset(2026, 11, 26, 10, 15, 30, TimeSpan.Zero), "0055AED6DCD90281E5"), source);
    }

    [Fact]
    public void The_null_version_of_an_unversioned_object_and_a_sequencer_that_is_not_hex_are_dropped()
    {
        var source = Default.Admit(Record("landing/movies.csv", versionId: "null", sequencer: "not-hex")).Source!;

        Assert.Null(source.VersionId);
        Assert.Null(source.Sequencer);
    }

    [Theory]
    [InlineData("landing/movies.csv", "ObjectRemoved:Delete", "2026-11-26T10:15:30Z", "not an ObjectCreated event")]
    [InlineData("landing/movies.csv", null, "2026-11-26T10:15:30Z", "no eventName")]
    [InlineData("other/movies.csv", "ObjectCreated:Put", "2026-11-26T10:15:30Z", "not under LANDING_PREFIX 'landing/'")]
    [InlineData("landing/folder/", "ObjectCreated:Put", "2026-11-26T10:15:30Z", "a folder marker")]
    [InlineData("landing/..%2FRaw%2Fx.csv", "ObjectCreated:Put", "2026-11-26T10:15:30Z", "'..' path segment")]
    [InlineData("landing/bad%ZZ.csv", "ObjectCreated:Put", "2026-11-26T10:15:30Z", "cannot be decoded")]
    [InlineData("landing/movies.csv", "ObjectCreated:Put", "yesterday", "is not an ISO-8601 time")]
    public void Records_that_are_not_landed_files_are_skipped_with_the_reason(string encodedKey, string? eventName, string eventTime, string reason)
    {
        var decision = Default.Admit(Record(encodedKey, eventName, eventTime));

        Assert.Null(decision.Source);
        Assert.Contains(reason, decision.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_events_unrecognised_messages_and_records_without_bucket_are_skipped()
    {
        Assert.Contains("s3:TestEvent", Default.Admit(new IncomingRecord { Kind = IncomingRecordKind.TestEvent }).SkipReason, StringComparison.Ordinal);
        Assert.Equal("body is not JSON", Default.Admit(new IncomingRecord { Kind = IncomingRecordKind.Unrecognised, Problem = "body is not JSON" }).SkipReason);
        Assert.Equal("the record names no bucket or no key", Default.Admit(Record("landing/movies.csv", bucket: null)).SkipReason);
    }

    [Fact]
    public void Keys_too_long_for_the_derived_keys_or_for_metadata_are_skipped()
    {
        var longPath = "landing/" + new string('a', 1000) + ".csv"; // 1,012 bytes: a legal S3 key, but not as manifest + .claim
        var wideKey = "landing/" + EventJson.Encode(new string('映', 250)) + "/movies.csv";

        Assert.Contains("too long for the lake's keys", Default.Admit(Record(longPath)).SkipReason, StringComparison.Ordinal);
        Assert.Contains("metadata", Default.Admit(Record(wideKey)).SkipReason, StringComparison.Ordinal);
    }

    /// <summary>A clock fixed at <paramref name="now"/>.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59.000Z", "more than a day after now")]
    [InlineData("2026-12-09T10:15:30.000Z", "more than a day after now")]
    [InlineData("1970-01-01T00:00:00.000Z", "before 2006-03-01")]
    [InlineData("0001-01-01T00:00:00Z", "before 2006-03-01")]
    public void An_event_time_outside_the_sane_window_is_skipped_not_filed_under_it(string eventTime, string reason)
    {
        var admission = new Admission(new IngestConfig(), new FixedTime(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)));

        var decision = admission.Admit(Record("landing/movies.csv", eventTime: eventTime));

        Assert.Null(decision.Source);
        Assert.Contains(reason, decision.SkipReason, StringComparison.Ordinal);
        Assert.Contains("backfill", decision.SkipReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12-08T11:59:59.000Z")] // just under a day ahead: clocks and queues lag, a day is the margin
    [InlineData("2006-03-01T00:00:00.000Z")]
    [InlineData("2026-12-07T12:00:00.000Z")]
    public void An_event_time_inside_the_window_is_admitted(string eventTime)
    {
        var admission = new Admission(new IngestConfig(), new FixedTime(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)));

        Assert.NotNull(admission.Admit(Record("landing/movies.csv", eventTime: eventTime)).Source);
    }

    [Fact]
    public void A_key_with_an_empty_segment_is_skipped_before_it_can_name_a_destination() =>
        Assert.Contains("empty path segment", Default.Admit(Record("landing//movies.csv")).SkipReason, StringComparison.Ordinal);

    [Fact]
    public void Another_landing_prefix_is_honoured()
    {
        var admission = new Admission(new IngestConfig { Prefixes = new LakePrefixes { Landing = "drop/" } }, TimeProvider.System);

        Assert.NotNull(admission.Admit(Record("drop/movies.csv")).Source);
        Assert.Contains("not under LANDING_PREFIX 'drop/'", admission.Admit(Record("landing/movies.csv")).SkipReason, StringComparison.Ordinal);
    }
}
