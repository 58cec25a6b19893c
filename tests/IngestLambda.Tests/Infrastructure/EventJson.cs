using System.Text;
using System.Text.Json.Nodes;

namespace IngestLambda.Tests.Infrastructure;

/// <summary>Events shaped like the ones S3 (and moto) send.</summary>
internal static class EventJson
{
    /// <summary>The sequencer of events that do not name their own: every such event looks alike in order.</summary>
    public const string DefaultSequencer = "0055AED6DCD90281E5";

    public static string S3Event(string bucket, string key, string? eTag, string? versionId, long size,
        string eventTime = TestLake.EventTime, string eventName = "ObjectCreated:Put", bool quoteETag = false, bool slashAsPercent = false,
        string? sequencer = DefaultSequencer) =>
        new JsonObject { ["Records"] = new JsonArray(Record(bucket, key, eTag, versionId, size, eventTime, eventName, quoteETag, slashAsPercent, sequencer)) }.ToJsonString();

    public static JsonObject Record(string bucket, string key, string? eTag, string? versionId, long size,
        string eventTime = TestLake.EventTime, string eventName = "ObjectCreated:Put", bool quoteETag = false, bool slashAsPercent = false,
        string? sequencer = DefaultSequencer)
    {
        var unquoted = eTag?.Trim('"');
        var obj = new JsonObject
        {
            ["key"] = Encode(key, slashAsPercent),
            ["size"] = size,
            ["eTag"] = unquoted is null ? null : quoteETag ? $"\"{unquoted}\"" : unquoted,
        };
        if (sequencer is not null)
            obj["sequencer"] = sequencer;
        if (versionId is not null)
            obj["versionId"] = versionId;
        return new JsonObject
        {
            ["eventVersion"] = "2.1",
            ["eventSource"] = "aws:s3",
            ["awsRegion"] = "us-east-1",
            ["eventTime"] = eventTime,
            ["eventName"] = eventName,
            ["userIdentity"] = new JsonObject { ["principalId"] = "AWS:AIDAEXAMPLE" },
            ["requestParameters"] = new JsonObject { ["sourceIPAddress"] = "127.0.0.1" },
            ["responseElements"] = new JsonObject { ["x-amz-request-id"] = "C3D13FE58DE4C810", ["x-amz-id-2"] = "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD" },
            ["s3"] = new JsonObject
            {
                ["s3SchemaVersion"] = "1.0",
                ["configurationId"] = "ingest",
                ["bucket"] = new JsonObject { ["name"] = bucket, ["ownerIdentity"] = new JsonObject { ["principalId"] = "A3NL1KOZZKExample" }, ["arn"] = $"arn:aws:s3:::{bucket}" },
                ["object"] = obj,
            },
        };
    }

    /// <summary>One event holding the single record of each S3 event given, in order.</summary>
    public static string Combined(params string[] s3Events) =>
        new JsonObject { ["Records"] = new JsonArray([.. s3Events.Select(e => JsonNode.Parse(e)!["Records"]![0]!.DeepClone())]) }.ToJsonString();

    public static string SqsEvent(params string[] bodies)
    {
        var records = new JsonArray();
        for (var i = 0; i < bodies.Length; i++)
        {
            records.Add(new JsonObject
            {
                ["messageId"] = $"msg-{i}",
                ["receiptHandle"] = "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
                ["body"] = bodies[i],
                ["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = "1", ["SentTimestamp"] = "1545082649183" },
                ["messageAttributes"] = new JsonObject(),
                ["md5OfBody"] = "e4e68fb7bd0e697a0ae8f1bb342846b3",
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = "arn:aws:sqs:us-east-1:123456789012:ingest",
                ["awsRegion"] = "us-east-1",
            });
        }
        return new JsonObject { ["Records"] = records }.ToJsonString();
    }

    public static string TestEvent(string bucket) =>
        new JsonObject
        {
            ["Service"] = "Amazon S3", ["Event"] = "s3:TestEvent", ["Time"] = "2026-11-26T10:00:00.000Z",
            ["Bucket"] = bucket, ["RequestId"] = "5582815E1AEA5ADF", ["HostId"] = "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE",
        }.ToJsonString();

    /// <summary>S3's key encoding: form-URL (space as '+', UTF-8 bytes as %XX), '/' kept unless imitating moto.</summary>
    public static string Encode(string key, bool slashAsPercent = false)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '*' || (c == '/' && !slashAsPercent))
                builder.Append(c);
            else if (c == ' ')
                builder.Append('+');
            else
                builder.Append('%').Append(b.ToString("X2"));
        }
        return builder.ToString();
    }
}
