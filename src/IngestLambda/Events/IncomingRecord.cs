namespace IngestLambda.Events;

public enum IncomingRecordKind
{
    /// <summary>An S3 event record about one object.</summary>
    ObjectEvent,
    /// <summary>An <c>s3:TestEvent</c> message (skipped).</summary>
    TestEvent,
    /// <summary>An SQS message whose body is not an S3 event (skipped, with the reason).</summary>
    Unrecognised,
}

/// <summary>One unit of work from an invocation, whatever envelope (direct S3 event or SQS batch) it came in.</summary>
public sealed record IncomingRecord
{
    public required IncomingRecordKind Kind { get; init; }
    /// <summary>The SQS message this record came in, if any.</summary>
    public string? SqsMessageId { get; init; }
    public string? EventName { get; init; }
    public string? EventTime { get; init; }
    public string? Bucket { get; init; }
    /// <summary>The key exactly as the event carries it (form-URL-encoded).</summary>
    public string? EncodedKey { get; init; }
    public long? Size { get; init; }
    public string? ETag { get; init; }
    public string? VersionId { get; init; }
    public string? Sequencer { get; init; }
    /// <summary>For <see cref="IncomingRecordKind.Unrecognised"/>: why.</summary>
    public string? Problem { get; init; }
}
