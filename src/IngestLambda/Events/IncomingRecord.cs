namespace IngestLambda.Events;

public enum IncomingRecordKind
{
    /// <summary>An S3 event record about one object.</summary>
    ObjectEvent,
    /// <summary>An <c>s3:TestEvent</c> message (skipped).</summary>
    TestEvent,
    /// <summary>A payload, SQS body or SNS message that is not an S3 event (skipped, with the reason).</summary>
    Unrecognised,
}

/// <summary>One unit of work from an invocation, whatever envelope (direct S3 event, SQS, SNS or EventBridge) it came in.</summary>
public sealed record IncomingRecord
{
    public required IncomingRecordKind Kind { get; init; }
    /// <summary>The SQS message this record came in, if any.</summary>
    public string? SqsMessageId { get; init; }
    public string? EventName { get; init; }
    public string? EventTime { get; init; }
    public string? Bucket { get; init; }
    /// <summary>
    /// The key form-URL-encoded, as S3's notification carries it (EventBridge's plain key is encoded by the parser),
    /// so one decoder serves every envelope.
    /// </summary>
    public string? EncodedKey { get; init; }
    public long? Size { get; init; }
    public string? ETag { get; init; }
    public string? VersionId { get; init; }
    /// <summary>S3's per-key event order (hex; compare after left-padding with zeros); from the notification or EventBridge.</summary>
    public string? Sequencer { get; init; }
    /// <summary>For <see cref="IncomingRecordKind.Unrecognised"/>: why.</summary>
    public string? Problem { get; init; }
}
