using System.Text;
using IngestLambda.Events;
using IngestLambda.Ingestion;

namespace IngestLambda.Tests.Events;

public class EventParserTests
{
    // The documented example of https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html, version 2.1, with values filled in.
    private const string DocumentedS3Event = """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-west-2","eventTime":"2026-11-26T12:34:56.789Z",
          "eventName":"ObjectCreated:Put","userIdentity":{"principalId":"AWS:AIDAJDPLRKLG7UEXAMPLE"},
          "requestParameters":{"sourceIPAddress":"172.16.0.1"},
          "responseElements":{"x-amz-request-id":"C3D13FE58DE4C810","x-amz-id-2":"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
          "s3":{"s3SchemaVersion":"1.0","configurationId":"testConfigRule",
                "bucket":{"name":"lake","ownerIdentity":{"principalId":"A3NL1KOZZKExample"},"arn":"arn:aws:s3:::lake"},
                "object":{"key":"landing/my+movies.csv","size":1024,"eTag":"d41d8cd98f00b204e9800998ecf8427e","versionId":"096fKKXTRTtl3on89fVO.nfljtsv6qko","sequencer":"0055AED6DCD90281E5"}},
          "glacierEventData":{"restoreEventData":{"lifecycleRestorationExpiryTime":"1970-01-01T00:01:00.000Z","lifecycleRestoreStorageClass":"GLACIER"}},
          "someFutureField":{"nested":[1,2,3]}}]}
        """;

    [Fact]
    public void A_documented_S3_event_is_read_with_every_field_that_matters()
    {
        var record = Assert.Single(Parse(DocumentedS3Event));
        Assert.Equal(IncomingRecordKind.ObjectEvent, record.Kind);
        Assert.Equal("ObjectCreated:Put", record.EventName);
        Assert.Equal("2026-11-26T12:34:56.789Z", record.EventTime);
        Assert.Equal("lake", record.Bucket);
        Assert.Equal("landing/my+movies.csv", record.EncodedKey);
        Assert.Equal(1024, record.Size);
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", record.ETag);
        Assert.Equal("096fKKXTRTtl3on89fVO.nfljtsv6qko", record.VersionId);
        Assert.Equal("0055AED6DCD90281E5", record.Sequencer);
        Assert.Null(record.SqsMessageId);
    }

    [Fact]
    public void A_moto_event_without_version_id_sequencer_or_Z_is_read()
    {
        const string moto = """
            {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2026-11-26T12:34:56.123456",
              "eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0","configurationId":"c","bucket":{"name":"lake","arn":"arn:aws:s3:::lake"},
              "object":{"key":"landing%2Fmy+movies.csv","size":10,"eTag":"\"abc\""}}}]}
            """;
        var record = Assert.Single(Parse(moto));
        Assert.Null(record.VersionId);
        Assert.Null(record.Sequencer);
        Assert.Equal("\"abc\"", record.ETag);
        Assert.True(FormUrlKey.TryDecode(record.EncodedKey!, out var key, out _));
        Assert.Equal("landing/my movies.csv", key);
    }

    [Fact]
    public void A_test_event_is_a_record_of_its_own_kind()
    {
        var record = Assert.Single(Parse("""{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-26T10:00:00.000Z","Bucket":"lake","RequestId":"r","HostId":"h"}"""));
        Assert.Equal(IncomingRecordKind.TestEvent, record.Kind);
        Assert.Equal("lake", record.Bucket);
    }

    [Fact]
    public void SQS_bodies_are_unwrapped_in_order_including_SNS_notifications_and_poisoned_bodies()
    {
        var snsBody = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["Type"] = "Notification", ["Message"] = DocumentedS3Event });
        var sqs = $$"""
            {"Records":[
              {"messageId":"m1","receiptHandle":"h","body":{{Quote(DocumentedS3Event)}},"attributes":{"ApproximateReceiveCount":"1"},"messageAttributes":{},"md5OfBody":"x","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:1:q","awsRegion":"us-east-1"},
              {"messageId":"m2","body":{{Quote("""{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"lake"}""")}},"eventSource":"aws:sqs"},
              {"messageId":"m3","body":{{Quote(snsBody)}},"eventSource":"aws:sqs"},
              {"messageId":"m4","body":"{oops","eventSource":"aws:sqs"},
              {"messageId":"m5","body":"{\"Records\":[{\"eventSource\":\"aws:sqs\",\"body\":\"{}\"}]}","eventSource":"aws:sqs"}
            ]}
            """;
        var records = Parse(sqs);
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], records.Select(r => r.SqsMessageId));
        Assert.Equal([IncomingRecordKind.ObjectEvent, IncomingRecordKind.TestEvent, IncomingRecordKind.ObjectEvent, IncomingRecordKind.Unrecognised, IncomingRecordKind.Unrecognised],
            records.Select(r => r.Kind));
        Assert.Equal("landing/my+movies.csv", records[2].EncodedKey);
        Assert.Contains("not JSON", records[3].Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"Records\":{}}")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:dynamodb\",\"dynamodb\":{}}]}")]
    public void Other_payloads_are_format_errors(string json) =>
        Assert.Throws<EventFormatException>(() => Parse(json));

    [Theory]
    [InlineData("2026-11-26T23:30:00.000Z", "2026-11-26T23:30:00")]
    [InlineData("2026-11-26T23:30:00.123456", "2026-11-26T23:30:00.123456")]
    [InlineData("2026-11-26T23:30:00", "2026-11-26T23:30:00")]
    [InlineData("2026-11-26T23:30:00-03:00", "2026-11-27T02:30:00")]
    public void Event_times_are_UTC_and_offset_less_times_are_taken_as_UTC(string text, string expectedUtc)
    {
        Assert.True(Admission.TryParseEventTime(text, out var time));
        Assert.Equal(TimeSpan.Zero, time.Offset);
        Assert.Equal(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), time.UtcDateTime);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("11/26/2026 10:00:00")]
    [InlineData("2026-13-40T00:00:00Z")]
    public void Malformed_event_times_are_refused(string? text) =>
        Assert.False(Admission.TryParseEventTime(text, out _));

    private static IReadOnlyList<IncomingRecord> Parse(string json) => EventParser.Parse(Encoding.UTF8.GetBytes(json));

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
