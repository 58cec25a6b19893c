using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Runtime;

/// <summary>The events/ samples have the shape AWS documents and match samples/movies.csv.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "S3 ETags and SQS md5OfBody are MD5 by definition; nothing is secured here.")]
public sealed class SampleEventsTests
{
    private static JsonElement Read(string file) => JsonDocument.Parse(File.ReadAllText(RepoPaths.Events(file))).RootElement;

    private static void AssertIsMoviesPutRecord(JsonElement record)
    {
        Assert.Equal("2.1", record.GetProperty("eventVersion").GetString());
        Assert.Equal("aws:s3", record.GetProperty("eventSource").GetString());
        Assert.Equal("ObjectCreated:Put", record.GetProperty("eventName").GetString());
        Assert.EndsWith("Z", record.GetProperty("eventTime").GetString(), StringComparison.Ordinal);
        var s3 = record.GetProperty("s3");
        Assert.Equal("ingest-lake-local", s3.GetProperty("bucket").GetProperty("name").GetString());
        Assert.Equal("arn:aws:s3:::ingest-lake-local", s3.GetProperty("bucket").GetProperty("arn").GetString());
        var obj = s3.GetProperty("object");
        Assert.Equal("landing/movies.csv", obj.GetProperty("key").GetString());
        // Size and ETag (MD5 of a single-part upload, unquoted in events) are those of samples/movies.csv, so
        // the event also works against a bucket where the sample was uploaded.
        var sample = File.ReadAllBytes(RepoPaths.Samples("movies.csv"));
        Assert.Equal(sample.Length, obj.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(sample)), obj.GetProperty("eTag").GetString());
    }

    [Fact]
    public void The_s3_put_event_names_landing_movies_csv_in_the_local_lake()
        => AssertIsMoviesPutRecord(Assert.Single(Read("s3-put.json").GetProperty("Records").EnumerateArray()));

    [Fact]
    public void The_sqs_event_wraps_the_same_s3_event_in_its_body()
    {
        var record = Assert.Single(Read("sqs-s3-put.json").GetProperty("Records").EnumerateArray());
        Assert.Equal("aws:sqs", record.GetProperty("eventSource").GetString());
        Assert.StartsWith("arn:aws:sqs:", record.GetProperty("eventSourceARN").GetString(), StringComparison.Ordinal);
        var body = record.GetProperty("body").GetString()!;
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body))), record.GetProperty("md5OfBody").GetString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), JsonNode.Parse(File.ReadAllText(RepoPaths.Events("s3-put.json")))));
        AssertIsMoviesPutRecord(Assert.Single(JsonDocument.Parse(body).RootElement.GetProperty("Records").EnumerateArray()));
    }

    [Fact]
    public void The_sns_event_carries_the_same_s3_event_as_its_message()
    {
        var record = Assert.Single(Read("sns-s3-put.json").GetProperty("Records").EnumerateArray());
        Assert.Equal("aws:sns", record.GetProperty("EventSource").GetString());
        var sns = record.GetProperty("Sns");
        Assert.Equal("Notification", sns.GetProperty("Type").GetString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sns.GetProperty("Message").GetString()!), JsonNode.Parse(File.ReadAllText(RepoPaths.Events("s3-put.json")))));
    }

    [Fact]
    public void The_eventbridge_event_is_S3s_Object_Created_for_the_same_object()
    {
        var root = Read("eventbridge-s3-object-created.json");
        Assert.Equal("aws.s3", root.GetProperty("source").GetString());
        Assert.Equal("Object Created", root.GetProperty("detail-type").GetString());
        var s3Object = Assert.Single(Read("s3-put.json").GetProperty("Records").EnumerateArray()).GetProperty("s3").GetProperty("object");
        var detail = root.GetProperty("detail");
        Assert.Equal("ingest-lake-local", detail.GetProperty("bucket").GetProperty("name").GetString());
        Assert.Equal(s3Object.GetProperty("key").GetString(), detail.GetProperty("object").GetProperty("key").GetString());
        Assert.Equal(s3Object.GetProperty("size").GetInt64(), detail.GetProperty("object").GetProperty("size").GetInt64());
        Assert.Equal(s3Object.GetProperty("eTag").GetString(), detail.GetProperty("object").GetProperty("etag").GetString());
        Assert.Equal(s3Object.GetProperty("sequencer").GetString(), detail.GetProperty("object").GetProperty("sequencer").GetString());
    }

    [Fact]
    public void The_test_event_is_an_s3_TestEvent_without_records()
    {
        var root = Read("s3-test-event.json");
        Assert.Equal("s3:TestEvent", root.GetProperty("Event").GetString());
        Assert.Equal("Amazon S3", root.GetProperty("Service").GetString());
        Assert.Equal("ingest-lake-local", root.GetProperty("Bucket").GetString());
        Assert.False(root.TryGetProperty("Records", out _));
    }
}
