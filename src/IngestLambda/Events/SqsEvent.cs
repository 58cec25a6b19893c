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
