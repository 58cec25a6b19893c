using System.Text.Json;

namespace IngestLambda.Events;

/// <summary>The invocation payload is not an S3 event, an S3 test event or an SQS batch of them.</summary>
public sealed class EventFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Turns an invocation payload into records: a direct S3 event, an <c>s3:TestEvent</c>, or an SQS batch whose
/// bodies are either of those (also when SNS sits between S3 and SQS). A bad top-level payload throws
/// <see cref="EventFormatException"/>; a bad SQS body becomes an <see cref="IncomingRecordKind.Unrecognised"/>
/// record so one poisoned message does not block the rest of its batch.
/// </summary>
public static class EventParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static IReadOnlyList<IncomingRecord> Parse(ReadOnlyMemory<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new EventFormatException($"The event is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var records = new List<IncomingRecord>();
            var problem = Collect(document.RootElement, sqsMessageId: null, records);
            if (problem is not null)
                throw new EventFormatException($"The event is not an S3 event, an S3 test event or an SQS event: {problem}.");
            return records;
        }
    }

    /// <summary>Adds the records of one S3/SQS/test message; returns why it is not one, or null.</summary>
    private static string? Collect(JsonElement root, string? sqsMessageId, List<IncomingRecord> into)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return $"expected a JSON object, found {root.ValueKind}";

        if (root.TryGetProperty("Records", out var recordsElement))
        {
            if (recordsElement.ValueKind != JsonValueKind.Array)
                return "'Records' is not an array";
            foreach (var element in recordsElement.EnumerateArray())
            {
                var problem = IsSqsMessage(element) && sqsMessageId is null
                    ? CollectSqsMessage(element, into)
                    : CollectS3Record(element, sqsMessageId, into);
                if (problem is not null)
                    return problem;
            }
            return null;
        }

        if (root.TryGetProperty("Event", out var eventName) && eventName.ValueKind == JsonValueKind.String
            && eventName.ValueEquals(S3TestEvent.EventName))
        {
            var test = root.Deserialize(EventJsonContext.Default.S3TestEvent)!;
            into.Add(new IncomingRecord { Kind = IncomingRecordKind.TestEvent, SqsMessageId = sqsMessageId, EventName = test.Event, EventTime = test.Time, Bucket = test.Bucket });
            return null;
        }

        // S3 -> SNS -> SQS: the SQS body is an SNS notification whose Message is the S3 event.
        if (sqsMessageId is not null && root.TryGetProperty("Type", out var type) && type.ValueKind == JsonValueKind.String
            && type.ValueEquals("Notification") && root.TryGetProperty("Message", out var message) && message.ValueKind == JsonValueKind.String)
        {
            return CollectText(message.GetString()!, sqsMessageId, into);
        }

        return "it has neither 'Records' nor 'Event': \"s3:TestEvent\"";
    }

    private static bool IsSqsMessage(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("eventSource", out var source)
        && source.ValueKind == JsonValueKind.String && source.ValueEquals(SqsMessage.Source);

    private static string? CollectSqsMessage(JsonElement element, List<IncomingRecord> into)
    {
        var message = Deserialize(element, EventJsonContext.Default.SqsMessage, out var error);
        if (message is null)
            return $"an SQS record is malformed: {error}";
        var messageId = message.MessageId ?? "";
        var bodyProblem = message.Body is null ? "the message has no body" : CollectText(message.Body, messageId, into);
        if (bodyProblem is not null)
            into.Add(new IncomingRecord { Kind = IncomingRecordKind.Unrecognised, SqsMessageId = messageId, Problem = bodyProblem });
        return null;
    }

    private static string? CollectText(string text, string sqsMessageId, List<IncomingRecord> into)
    {
        try
        {
            using var body = JsonDocument.Parse(text, DocumentOptions);
            var before = into.Count;
            var problem = Collect(body.RootElement, sqsMessageId, into);
            if (problem is not null)
                into.RemoveRange(before, into.Count - before); // all or nothing per message
            return problem is null ? null : $"the message body is not an S3 event: {problem}";
        }
        catch (JsonException e)
        {
            return $"the message body is not JSON: {e.Message}";
        }
    }

    private static string? CollectS3Record(JsonElement element, string? sqsMessageId, List<IncomingRecord> into)
    {
        var record = Deserialize(element, EventJsonContext.Default.S3EventRecord, out var error);
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

    private static T? Deserialize<T>(JsonElement element, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, out string? error)
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
