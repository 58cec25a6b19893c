using System.Text;
using IngestLambda.Events;
using IngestLambda.Pipeline;

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
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "found Array")]
    [InlineData("{}", "neither 'Records'")]
    [InlineData("{\"Records\":{}}", "'Records' is not an array")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:dynamodb\",\"dynamodb\":{}}]}", "'aws:dynamodb' has no 's3' object")]
    [InlineData("{\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\",\"detail\":{}}", "from 'aws.ec2'")]
    public void Other_payloads_are_one_unrecognised_record_saying_why_never_an_exception(string json, string reason)
    {
        var record = Assert.Single(Parse(json));
        Assert.Equal(IncomingRecordKind.Unrecognised, record.Kind);
        Assert.Null(record.SqsMessageId);
        Assert.Contains(reason, record.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_file_that_starts_with_a_UTF8_BOM_is_read()
    {
        // Editors on Windows write one, and public sample events start with one.
        var withBom = EventParser.Parse((byte[])[0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(DocumentedS3Event)]);
        Assert.Equal(Parse(DocumentedS3Event), withBom);
        Assert.Equal(IncomingRecordKind.ObjectEvent, Assert.Single(withBom).Kind);
    }

    [Fact]
    public void An_SQS_body_that_starts_with_a_BOM_is_read()
    {
        var body = "\uFEFF" + DocumentedS3Event.Replace("\"", "\\\"", StringComparison.Ordinal).ReplaceLineEndings("");
        var records = Parse($$"""{"Records":[{"messageId":"m1","eventSource":"aws:sqs","body":"{{body}}"}]}""");
        Assert.Equal(IncomingRecordKind.ObjectEvent, Assert.Single(records).Kind);
    }

    /// <summary>
    /// Events are read strictly (docs/contracts.md, "JSON"): a repeated property (which copy wins differs between
    /// parsers, so two readers could see two different objects), a comment or a trailing comma is not JSON.
    /// </summary>
    [Theory]
    [InlineData("""{"Records":[],"Records":[{"eventSource":"aws:s3"}]}""")]
    [InlineData("""{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"a","name":"b"},"object":{"key":"landing/x.csv"}}}]}""")]
    [InlineData("""{"Records":[] /* a comment */}""")]
    [InlineData("// a comment\n{\"Records\":[]}")]
    [InlineData("""{"Records":[],}""")]
    public void Duplicate_properties_comments_and_trailing_commas_are_not_valid_JSON(string json)
    {
        var record = Assert.Single(Parse(json));
        Assert.Equal(IncomingRecordKind.Unrecognised, record.Kind);
        Assert.Contains("not valid JSON", record.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_property_inside_an_SQS_body_skips_that_message_alone()
    {
        var bad = """{\"Records\":[],\"Records\":[]}""";
        var good = DocumentedS3Event.Replace("\"", "\\\"", StringComparison.Ordinal).ReplaceLineEndings("");
        var records = Parse($$"""{"Records":[{"messageId":"m1","eventSource":"aws:sqs","body":"{{bad}}"},{"messageId":"m2","eventSource":"aws:sqs","body":"{{good}}"}]}""");
        Assert.Equal([IncomingRecordKind.Unrecognised, IncomingRecordKind.ObjectEvent], records.Select(r => r.Kind));
        Assert.Equal("m1", records[0].SqsMessageId);
        Assert.Contains("not JSON", records[0].Problem, StringComparison.Ordinal);
    }

    // The documented "Object Created" example of https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html, with a key that
    // URL-encoding would change: EventBridge sends it as it is.
    private const string EventBridgeObjectCreated = """
        {"version":"0","id":"17793124-05d4-b198-2fde-7ededc63b103","detail-type":"Object Created","source":"aws.s3","account":"111122223333",
         "time":"2026-11-26T12:34:56Z","region":"ca-central-1","resources":["arn:aws:s3:::lake"],
         "detail":{"version":"0","bucket":{"name":"lake"},
           "object":{"key":"landing/my movies+100% ação.csv","size":5,"etag":"b1946ac92492d2347c6235b4d2611184","version-id":"IYV3p45BT0ac8hjHg1houSdS1a.Mro8e","sequencer":"617f08299329d189"},
           "request-id":"N4N7GDK58NMKJ12R","requester":"123456789012","source-ip-address":"1.2.3.4","reason":"PutObject"}}
        """;

    [Fact]
    public void An_EventBridge_Object_Created_event_is_read_with_its_plain_key_version_etag_sequencer_and_time()
    {
        var record = Assert.Single(Parse(EventBridgeObjectCreated));
        Assert.Equal(IncomingRecordKind.ObjectEvent, record.Kind);
        Assert.Equal("ObjectCreated:Put", record.EventName);
        Assert.Equal("2026-11-26T12:34:56Z", record.EventTime);
        Assert.Equal("lake", record.Bucket);
        Assert.True(FormUrlKey.TryDecode(record.EncodedKey!, out var key, out _));
        Assert.Equal("landing/my movies+100% ação.csv", key); // decoding gives back the key exactly: it was never URL-encoded
        Assert.Equal(5, record.Size);
        Assert.Equal("b1946ac92492d2347c6235b4d2611184", record.ETag);
        Assert.Equal("IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", record.VersionId);
        Assert.Equal("617f08299329d189", record.Sequencer);
    }

    [Theory]
    [InlineData("CompleteMultipartUpload", "ObjectCreated:CompleteMultipartUpload")]
    [InlineData("CopyObject", "ObjectCreated:Copy")]
    [InlineData("POST Object", "ObjectCreated:Post")]
    public void EventBridge_reasons_become_the_notification_event_names(string reason, string eventName) =>
        Assert.Equal(eventName, Assert.Single(Parse(EventBridgeObjectCreated.Replace("\"PutObject\"", $"\"{reason}\"", StringComparison.Ordinal))).EventName);

    [Fact]
    public void Other_S3_EventBridge_events_keep_their_detail_type_so_they_are_not_taken_for_new_objects()
    {
        var record = Assert.Single(Parse(EventBridgeObjectCreated.Replace("Object Created", "Object Deleted", StringComparison.Ordinal)));
        Assert.Equal(IncomingRecordKind.ObjectEvent, record.Kind);
        Assert.Equal("Object Deleted", record.EventName);
    }

    [Theory]
    [InlineData("plain.csv")]
    [InlineData("a b+c%20d/ü€😀.csv")]
    [InlineData("%%%")]
    public void Plain_keys_survive_encoding_and_decoding(string key)
    {
        Assert.True(FormUrlKey.TryEncode(key, out var encoded));
        Assert.True(FormUrlKey.TryDecode(encoded, out var decoded, out _));
        Assert.Equal(key, decoded);
    }

    [Fact]
    public void SNS_records_are_unwrapped_and_a_bad_message_is_skipped_on_its_own()
    {
        string Sns(string message) => """{"EventSource":"aws:sns","EventVersion":"1.0","Sns":{"Type":"Notification","MessageId":"n","Message":""" + Quote(message) + "}}";
        var records = Parse("""{"Records":[""" + string.Join(",", Sns(DocumentedS3Event), Sns("not json"), Sns(EventBridgeObjectCreated)) + "]}");

        Assert.Equal([IncomingRecordKind.ObjectEvent, IncomingRecordKind.Unrecognised, IncomingRecordKind.ObjectEvent], records.Select(r => r.Kind));
        Assert.Equal("landing/my+movies.csv", records[0].EncodedKey);
        Assert.Equal("0055AED6DCD90281E5", records[0].Sequencer);
        Assert.Contains("not JSON", records[1].Problem, StringComparison.Ordinal);
        Assert.All(records, r => Assert.Null(r.SqsMessageId));
    }

    [Theory]
    [InlineData("s3-put.json")]
    [InlineData("sqs-s3-put.json")]
    [InlineData("sns-s3-put.json")]
    [InlineData("eventbridge-s3-object-created.json")]
    public void Every_golden_event_names_the_same_landed_object(string file)
    {
        var record = Assert.Single(EventParser.Parse(File.ReadAllBytes(IngestLambda.Tests.Infrastructure.RepoPaths.Events(file))));
        Assert.Equal(IncomingRecordKind.ObjectEvent, record.Kind);
        Assert.Equal("ObjectCreated:Put", record.EventName);
        Assert.Equal("ingest-lake-local", record.Bucket);
        Assert.Equal("landing/movies.csv", record.EncodedKey);
        Assert.Equal(327258, record.Size);
        Assert.Equal("107ae63f66f8411e8ac882c66a723029", record.ETag);
        Assert.Equal("0067458A1B2C3D4E5F", record.Sequencer);
        Assert.True(Admission.TryParseEventTime(record.EventTime, out var time));
        Assert.Equal("2026-11-26T09:30:15", time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
    }

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
