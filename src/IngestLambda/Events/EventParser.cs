using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace IngestLambda.Events;

/// <summary>
/// Turns an invocation payload into records, whatever way S3's notification travelled:
/// <list type="bullet">
/// <item>S3 → Lambda: <c>Records[].s3</c>, or an <c>s3:TestEvent</c>;</item>
/// <item>S3 → SQS → Lambda: <c>Records[].body</c> holds one of these (also an SNS notification, S3 → SNS → SQS);</item>
/// <item>S3 → SNS → Lambda: <c>Records[].Sns.Message</c> holds the S3 event;</item>
/// <item>S3 → EventBridge → Lambda: <c>detail-type</c> "Object Created" with <c>detail.bucket</c> and
///   <c>detail.object</c> (its key is not URL-encoded: it is encoded here, so every record's
///   <see cref="IncomingRecord.EncodedKey"/> reads the same way).</item>
/// </list>
/// Never throws for a payload: what is none of these becomes an <see cref="IncomingRecordKind.Unrecognised"/> record
/// with the reason, which the function answers <c>skipped</c>. Retrying could not change such a payload, so failing
/// the invocation would only send it through Lambda's retries to the failure queue. A bad SQS body or SNS message
/// is an unrecognised record of its own, so one poisoned message does not block the rest of its batch.
/// </summary>
public static class EventParser
{
    /// <summary>JSON text inside JSON text (SQS body, SNS message) is unwrapped at most this deep.</summary>
    private const int MaxNesting = 3;

    /// <summary>Strict JSON (docs/contracts.md, "JSON"): a comment, a trailing comma or a property given twice is not JSON.</summary>
    private static JsonDocumentOptions DocumentOptions => Core.JsonDefaults.StrictDocumentOptions;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static IReadOnlyList<IncomingRecord> Parse(ReadOnlyMemory<byte> json)
    {
        // A UTF-8 BOM is no JSON, but editors on Windows write one and public sample events start with one.
        if (json.Span.StartsWith(Utf8Bom))
            json = json[Utf8Bom.Length..];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            return [Unrecognised(null, $"the event is not valid JSON: {e.Message}")];
        }

        using (document)
        {
            var records = new List<IncomingRecord>();
            var problem = Collect(document.RootElement, sqsMessageId: null, depth: 0, records);
            return problem is null
                ? records
                : [Unrecognised(null, $"the event is not an S3 event (direct, or through SQS, SNS or EventBridge) nor an S3 test event: {problem}")];
        }
    }

    /// <summary>Adds the records of one message; returns why it is not one this function knows, or null.</summary>
    private static string? Collect(JsonElement root, string? sqsMessageId, int depth, List<IncomingRecord> into)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return $"expected a JSON object, found {root.ValueKind}";

        if (root.TryGetProperty("Records", out var recordsElement))
        {
            if (recordsElement.ValueKind != JsonValueKind.Array)
                return "'Records' is not an array";
            var before = into.Count;
            foreach (var element in recordsElement.EnumerateArray())
            {
                var problem = HasSource(element, "eventSource", SqsMessage.Source) && sqsMessageId is null && depth == 0
                    ? CollectSqsMessage(element, depth, into)
                    : HasSource(element, "EventSource", SnsRecord.Source)
                        ? CollectSnsRecord(element, sqsMessageId, depth, into)
                        : CollectS3Record(element, sqsMessageId, into);
                if (problem is not null)
                {
                    into.RemoveRange(before, into.Count - before); // all or nothing per message
                    return problem;
                }
            }
            return null;
        }

        if (IsString(root, "Event", S3TestEvent.EventName))
        {
            var test = root.Deserialize(StrictEventJson.Context.S3TestEvent)!;
            into.Add(new IncomingRecord { Kind = IncomingRecordKind.TestEvent, SqsMessageId = sqsMessageId, EventName = test.Event, EventTime = test.Time, Bucket = test.Bucket });
            return null;
        }

        if (root.TryGetProperty("detail-type", out _))
            return CollectEventBridge(root, sqsMessageId, into);

        // S3 -> SNS -> SQS: the SQS body is an SNS notification whose Message is the S3 event.
        if (sqsMessageId is not null && IsString(root, "Type", "Notification") && root.TryGetProperty("Message", out var message)
            && message.ValueKind == JsonValueKind.String)
        {
            return CollectText(message.GetString()!, sqsMessageId, depth, into);
        }

        return "it has neither 'Records', nor 'detail-type', nor 'Event': \"s3:TestEvent\"";
    }

    private static string? CollectSqsMessage(JsonElement element, int depth, List<IncomingRecord> into)
    {
        var message = Deserialize(element, StrictEventJson.Context.SqsMessage, out var error);
        if (message is null)
            return $"an SQS record is malformed: {error}";
        var messageId = message.MessageId ?? "";
        var bodyProblem = message.Body is null ? "the message has no body" : CollectText(message.Body, messageId, depth, into);
        if (bodyProblem is not null)
            into.Add(Unrecognised(messageId, bodyProblem));
        return null;
    }

    /// <summary>S3 -> SNS -> Lambda: the notification's Message is the S3 event. A bad message is skipped on its own.</summary>
    private static string? CollectSnsRecord(JsonElement element, string? sqsMessageId, int depth, List<IncomingRecord> into)
    {
        var record = Deserialize(element, StrictEventJson.Context.SnsRecord, out var error);
        if (record is null)
            return $"an SNS record is malformed: {error}";
        var messageProblem = record.Sns?.Message is not { } message
            ? "the SNS record has no Sns.Message"
            : CollectText(message, sqsMessageId, depth, into);
        if (messageProblem is not null)
            into.Add(Unrecognised(sqsMessageId, $"SNS message {record.Sns?.MessageId ?? "(no id)"}: {messageProblem}"));
        return null;
    }

    private static string? CollectText(string text, string? sqsMessageId, int depth, List<IncomingRecord> into)
    {
        if (depth >= MaxNesting)
            return $"the message nests JSON text more than {MaxNesting} levels deep";
        try
        {
            using var body = JsonDocument.Parse(text.StartsWith('\uFEFF') ? text[1..] : text, DocumentOptions);
            var before = into.Count;
            var problem = Collect(body.RootElement, sqsMessageId, depth + 1, into);
            if (problem is not null)
                into.RemoveRange(before, into.Count - before);
            return problem is null ? null : $"the message is not an S3 event: {problem}";
        }
        catch (JsonException e)
        {
            return $"the message body is not JSON: {e.Message}";
        }
    }

    private static string? CollectS3Record(JsonElement element, string? sqsMessageId, List<IncomingRecord> into)
    {
        var record = Deserialize(element, StrictEventJson.Context.S3EventRecord, out var error);
        if (record is null)
            return $"a record is malformed: {error}";
        if (record.S3 is null)
            return $"a record from '{record.EventSource ?? "unknown source"}' has no 's3' object";
        into.Add(new IncomingRecord
        {
            Kind = IncomingRecordKind.ObjectEvent,
            SqsMessageId = sqsMessageId,
            EventName = record.EventName,
            EventTime = record.EventTime,
            Bucket = record.S3.Bucket?.Name,
            EncodedKey = record.S3.S3Object?.Key,
            Size = record.S3.S3Object?.Size,
            ETag = record.S3.S3Object?.ETag,
            VersionId = record.S3.S3Object?.VersionId,
            Sequencer = record.S3.S3Object?.Sequencer,
        });
        return null;
    }

    /// <summary>
    /// S3 -> EventBridge: "Object Created" becomes the notification's <c>ObjectCreated:&lt;how&gt;</c>; another
    /// S3 detail-type keeps its name, so the pipeline skips it as not an ObjectCreated event.
    /// </summary>
    private static string? CollectEventBridge(JsonElement root, string? sqsMessageId, List<IncomingRecord> into)
    {
        var e = Deserialize(root, StrictEventJson.Context.EventBridgeEvent, out var error);
        if (e is null)
            return $"an EventBridge event is malformed: {error}";
        if (e.Source != EventBridgeEvent.S3Source)
            return $"an EventBridge event from '{e.Source ?? "no source"}' ({e.DetailType}), not from {EventBridgeEvent.S3Source}";

        var key = e.Detail?.S3Object?.Key;
        string? encodedKey = null;
        if (key is not null && !FormUrlKey.TryEncode(key, out encodedKey))
        {
            into.Add(Unrecognised(sqsMessageId, "the EventBridge event's key is not valid Unicode"));
            return null;
        }
        into.Add(new IncomingRecord
        {
            Kind = IncomingRecordKind.ObjectEvent,
            SqsMessageId = sqsMessageId,
            EventName = e.DetailType == EventBridgeEvent.ObjectCreated ? $"ObjectCreated:{CreatedHow(e.Detail?.Reason)}" : e.DetailType,
            EventTime = e.Time,
            Bucket = e.Detail?.Bucket?.Name,
            EncodedKey = encodedKey,
            Size = e.Detail?.S3Object?.Size,
            ETag = e.Detail?.S3Object?.ETag,
            VersionId = e.Detail?.S3Object?.VersionId,
            Sequencer = e.Detail?.S3Object?.Sequencer,
        });
        return null;
    }

    /// <summary>EventBridge's <c>reason</c> in the notification's words (ObjectCreated:Put, :Post, :Copy, :CompleteMultipartUpload).</summary>
    private static string CreatedHow(string? reason) => reason switch
    {
        "PutObject" => "Put",
        "POST Object" => "Post",
        "CopyObject" => "Copy",
        "CompleteMultipartUpload" => "CompleteMultipartUpload",
        _ => reason ?? "*",
    };

    private static IncomingRecord Unrecognised(string? sqsMessageId, string problem) =>
        new() { Kind = IncomingRecordKind.Unrecognised, SqsMessageId = sqsMessageId, Problem = problem };

    private static bool HasSource(JsonElement element, string property, string source) =>
        element.ValueKind == JsonValueKind.Object && IsString(element, property, source);

    private static bool IsString(JsonElement element, string property, string value) =>
        element.TryGetProperty(property, out var found) && found.ValueKind == JsonValueKind.String && found.ValueEquals(value);

    private static T? Deserialize<T>(JsonElement element, JsonTypeInfo<T> typeInfo, out string? error)
        where T : class
    {
        try
        {
            error = element.ValueKind == JsonValueKind.Object ? null : $"expected an object, found {element.ValueKind}";
            return error is null ? element.Deserialize(typeInfo) : null;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return null;
        }
    }
}
