using System.Text.Json.Serialization;

namespace IngestLambda.Events;

/// <summary>An SQS event source mapping batch; each body is an S3 event (or an S3 test event) as JSON text.</summary>
public sealed class SqsEvent
{
    [JsonPropertyName("Records")] public List<SqsMessage>? Records { get; set; }
}

public sealed class SqsMessage
{
    public const string Source = "aws:sqs";

    [JsonPropertyName("messageId")] public string? MessageId { get; set; }
    [JsonPropertyName("receiptHandle")] public string? ReceiptHandle { get; set; }
    [JsonPropertyName("body")] public string? Body { get; set; }
    [JsonPropertyName("attributes")] public Dictionary<string, string>? Attributes { get; set; }
    [JsonPropertyName("messageAttributes")] public Dictionary<string, SqsMessageAttributeValue>? MessageAttributes { get; set; }
    [JsonPropertyName("md5OfBody")] public string? Md5OfBody { get; set; }
    [JsonPropertyName("md5OfMessageAttributes")] public string? Md5OfMessageAttributes { get; set; }
    [JsonPropertyName("eventSource")] public string? EventSource { get; set; }
    [JsonPropertyName("eventSourceARN")] public string? EventSourceArn { get; set; }
    [JsonPropertyName("awsRegion")] public string? AwsRegion { get; set; }
}

public sealed class SqsMessageAttributeValue
{
    [JsonPropertyName("stringValue")] public string? StringValue { get; set; }
    [JsonPropertyName("binaryValue")] public string? BinaryValue { get; set; }
    [JsonPropertyName("stringListValues")] public List<string>? StringListValues { get; set; }
    [JsonPropertyName("binaryListValues")] public List<string>? BinaryListValues { get; set; }
    [JsonPropertyName("dataType")] public string? DataType { get; set; }
}

/// <summary>
/// The answer to an SQS batch with ReportBatchItemFailures: the messages to redeliver. Lambda deletes the others, so
/// one bad record no longer sends its whole batch back (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
/// </summary>
public sealed record BatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier)
{
    /// <summary>
    /// The failed messages of an SQS batch, each once and in order: empty when none failed, null when the event is not
    /// an SQS batch or a failed record names no message (then only failing the whole invocation is safe).
    /// </summary>
    public static IReadOnlyList<BatchItemFailure>? Of<T>(IReadOnlyList<T> results, Func<T, string?> messageId, Func<T, bool> failed)
    {
        if (!results.Any(r => messageId(r) is not null))
            return null;
        var ids = new List<BatchItemFailure>();
        foreach (var result in results.Where(failed))
        {
            if (string.IsNullOrEmpty(messageId(result)))
                return null;
            if (!ids.Exists(f => f.ItemIdentifier == messageId(result)))
                ids.Add(new BatchItemFailure(messageId(result)!));
        }
        return ids;
    }
}
