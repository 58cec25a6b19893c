using System.Text.Json.Serialization;

namespace IngestLambda.Events;

// The S3 event notification message, event versions 2.1 to 2.x
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
// Every documented field is modelled; unknown fields are ignored, so newer minor versions still parse.
// Keys arrive form-URL-encoded: decode them with FormUrlKey, never use S3ObjectEntity.Key directly as a key.

public sealed class S3Event
{
    [JsonPropertyName("Records")] public List<S3EventRecord>? Records { get; set; }
}

public sealed class S3EventRecord
{
    [JsonPropertyName("eventVersion")] public string? EventVersion { get; set; }
    [JsonPropertyName("eventSource")] public string? EventSource { get; set; }
    [JsonPropertyName("awsRegion")] public string? AwsRegion { get; set; }
    /// <summary>ISO-8601; S3 writes a trailing Z, moto none (treated as UTC).</summary>
    [JsonPropertyName("eventTime")] public string? EventTime { get; set; }
    /// <summary>e.g. <c>ObjectCreated:Put</c> (no <c>s3:</c> prefix in messages).</summary>
    [JsonPropertyName("eventName")] public string? EventName { get; set; }
    [JsonPropertyName("userIdentity")] public S3PrincipalIdentity? UserIdentity { get; set; }
    [JsonPropertyName("requestParameters")] public S3RequestParameters? RequestParameters { get; set; }
    [JsonPropertyName("responseElements")] public S3ResponseElements? ResponseElements { get; set; }
    [JsonPropertyName("s3")] public S3Entity? S3 { get; set; }
    [JsonPropertyName("glacierEventData")] public S3GlacierEventData? GlacierEventData { get; set; }
    [JsonPropertyName("lifecycleEventData")] public S3LifecycleEventData? LifecycleEventData { get; set; }
    [JsonPropertyName("intelligentTieringEventData")] public S3IntelligentTieringEventData? IntelligentTieringEventData { get; set; }
    [JsonPropertyName("replicationEventData")] public Dictionary<string, System.Text.Json.JsonElement>? ReplicationEventData { get; set; }
}

public sealed class S3PrincipalIdentity
{
    [JsonPropertyName("principalId")] public string? PrincipalId { get; set; }
}

public sealed class S3RequestParameters
{
    [JsonPropertyName("sourceIPAddress")] public string? SourceIpAddress { get; set; }
}

public sealed class S3ResponseElements
{
    [JsonPropertyName("x-amz-request-id")] public string? RequestId { get; set; }
    [JsonPropertyName("x-amz-id-2")] public string? Id2 { get; set; }
}

public sealed class S3Entity
{
    [JsonPropertyName("s3SchemaVersion")] public string? SchemaVersion { get; set; }
    [JsonPropertyName("configurationId")] public string? ConfigurationId { get; set; }
    [JsonPropertyName("bucket")] public S3BucketEntity? Bucket { get; set; }
    [JsonPropertyName("object")] public S3ObjectEntity? S3Object { get; set; }
}

public sealed class S3BucketEntity
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("ownerIdentity")] public S3PrincipalIdentity? OwnerIdentity { get; set; }
    [JsonPropertyName("arn")] public string? Arn { get; set; }
}

public sealed class S3ObjectEntity
{
    /// <summary>Form-URL-encoded key as S3 sends it (<c>+</c> is a space).</summary>
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("size")] public long? Size { get; set; }
    /// <summary>Usually unquoted in events; tolerated quoted.</summary>
    [JsonPropertyName("eTag")] public string? ETag { get; set; }
    /// <summary>Present only for versioned buckets (and absent in moto's events).</summary>
    [JsonPropertyName("versionId")] public string? VersionId { get; set; }
    [JsonPropertyName("sequencer")] public string? Sequencer { get; set; }
}

public sealed class S3GlacierEventData
{
    [JsonPropertyName("restoreEventData")] public S3RestoreEventData? RestoreEventData { get; set; }
}

public sealed class S3RestoreEventData
{
    [JsonPropertyName("lifecycleRestorationExpiryTime")] public string? LifecycleRestorationExpiryTime { get; set; }
    [JsonPropertyName("lifecycleRestoreStorageClass")] public string? LifecycleRestoreStorageClass { get; set; }
}

public sealed class S3LifecycleEventData
{
    [JsonPropertyName("transitionEventData")] public S3TransitionEventData? TransitionEventData { get; set; }
}

public sealed class S3TransitionEventData
{
    [JsonPropertyName("destinationStorageClass")] public string? DestinationStorageClass { get; set; }
}

public sealed class S3IntelligentTieringEventData
{
    [JsonPropertyName("destinationAccessTier")] public string? DestinationAccessTier { get; set; }
}

/// <summary>The message S3 sends once when a notification is configured; it has no Records.</summary>
public sealed class S3TestEvent
{
    public const string EventName = "s3:TestEvent";

    [JsonPropertyName("Service")] public string? Service { get; set; }
    [JsonPropertyName("Event")] public string? Event { get; set; }
    [JsonPropertyName("Time")] public string? Time { get; set; }
    [JsonPropertyName("Bucket")] public string? Bucket { get; set; }
    [JsonPropertyName("RequestId")] public string? RequestId { get; set; }
    [JsonPropertyName("HostId")] public string? HostId { get; set; }
}
