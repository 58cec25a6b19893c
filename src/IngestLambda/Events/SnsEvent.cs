using System.Text.Json.Serialization;

namespace IngestLambda.Events;

// S3 -> SNS -> Lambda: each record carries one SNS notification whose Message is the S3 event as JSON text
// (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html). Note the capitalised EventSource and Sns.

public sealed class SnsRecord
{
    public const string Source = "aws:sns";

    [JsonPropertyName("EventSource")] public string? EventSource { get; set; }
    [JsonPropertyName("EventVersion")] public string? EventVersion { get; set; }
    [JsonPropertyName("EventSubscriptionArn")] public string? EventSubscriptionArn { get; set; }
    [JsonPropertyName("Sns")] public SnsMessage? Sns { get; set; }
}

/// <summary>An SNS notification: in an SNS record, and also the body of an SQS message when SNS sits between S3 and SQS.</summary>
public sealed class SnsMessage
{
    [JsonPropertyName("Type")] public string? Type { get; set; }
    [JsonPropertyName("MessageId")] public string? MessageId { get; set; }
    [JsonPropertyName("TopicArn")] public string? TopicArn { get; set; }
    [JsonPropertyName("Subject")] public string? Subject { get; set; }
    [JsonPropertyName("Message")] public string? Message { get; set; }
    [JsonPropertyName("Timestamp")] public string? Timestamp { get; set; }
    [JsonPropertyName("SignatureVersion")] public string? SignatureVersion { get; set; }
    [JsonPropertyName("Signature")] public string? Signature { get; set; }
    [JsonPropertyName("SigningCertUrl")] public string? SigningCertUrl { get; set; }
    [JsonPropertyName("UnsubscribeUrl")] public string? UnsubscribeUrl { get; set; }
}
