using System.Text.Json;
using Amazon.SQS.Model;

namespace IngestLambda.LocalHost;

/// <summary>Wraps a batch of SQS messages in the event Lambda's SQS poller sends to a function.</summary>
internal static class SqsEvent
{
    public static byte[] Create(IReadOnlyList<Message> messages, string queueArn, string region)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Records");
            foreach (var message in messages)
                WriteRecord(json, message, queueArn, region);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteRecord(Utf8JsonWriter json, Message message, string queueArn, string region)
    {
        json.WriteStartObject();
        json.WriteString("messageId", message.MessageId);
        json.WriteString("receiptHandle", message.ReceiptHandle);
        json.WriteString("body", message.Body);
        json.WriteStartObject("attributes");
        foreach (var (name, value) in message.Attributes ?? [])
            json.WriteString(name, value);
        json.WriteEndObject();
        json.WriteStartObject("messageAttributes");
        foreach (var (name, value) in message.MessageAttributes ?? [])
        {
            json.WriteStartObject(name);
            json.WriteString("stringValue", value.StringValue);
            json.WriteString("dataType", value.DataType);
            json.WriteStartArray("stringListValues");
            json.WriteEndArray();
            json.WriteStartArray("binaryListValues");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteString("md5OfBody", message.MD5OfBody);
        json.WriteString("eventSource", "aws:sqs");
        json.WriteString("eventSourceARN", queueArn);
        json.WriteString("awsRegion", region);
        json.WriteEndObject();
    }
}
