using System.Text.Json.Serialization;

namespace IngestLambda.Events;

// S3 -> EventBridge -> Lambda: the EventBridge envelope around an S3 event
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html). Unlike the S3 notification, the key is
// NOT URL-encoded, the fields are kebab-case and the time is the envelope's `time`.

public sealed class EventBridgeEvent
{
    /// <summary>The source of S3's events.</summary>
    public const string S3Source = "aws.s3";
    /// <summary>The detail-type of a new object (any of PutObject, POST Object, CopyObject, CompleteMultipartUpload).</summary>
    public const string ObjectCreated = "Object Created";

    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("detail-type")] public string? DetailType { get; set; }
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("account")] public string? Account { get; set; }
    /// <summary>RFC 3339 UTC, e.g. <c>2026-11-26T09:30:15Z</c>.</summary>
    [JsonPropertyName("time")] public string? Time { get; set; }
    [JsonPropertyName("region")] public string? Region { get; set; }
    [JsonPropertyName("resources")] public List<string>? Resources { get; set; }
    [JsonPropertyName("detail")] public EventBridgeS3Detail? Detail { get; set; }
}

public sealed class EventBridgeS3Detail
{
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("bucket")] public EventBridgeS3Bucket? Bucket { get; set; }
    [JsonPropertyName("object")] public EventBridgeS3Object? S3Object { get; set; }
    [JsonPropertyName("request-id")] public string? RequestId { get; set; }
    [JsonPropertyName("requester")] public string? Requester { get; set; }
    [JsonPropertyName("source-ip-address")] public string? SourceIpAddress { get; set; }
    /// <summary>For Object Created: PutObject, POST Object, CopyObject or CompleteMultipartUpload.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; set; }
}

public sealed class EventBridgeS3Bucket
{
    [JsonPropertyName("name")] public string? Name { get; set; }
}

public sealed class EventBridgeS3Object
{
    /// <summary>The key as it is (not URL-encoded).</summary>
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("size")] public long? Size { get; set; }
    [JsonPropertyName("etag")] public string? ETag { get; set; }
    [JsonPropertyName("version-id")] public string? VersionId { get; set; }
    [JsonPropertyName("sequencer")] public string? Sequencer { get; set; }
}
