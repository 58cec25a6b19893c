using System.Globalization;
using System.Text;
using System.Text.Json;
using IngestLambda.Events;

namespace IngestLambda.Host.Operations;

/// <summary>
/// One message of the failure queue, understood: the records of the event it carries and, for Lambda's
/// async-invocation failure record, why the invocation failed. Three shapes are accepted:
/// <list type="bullet">
/// <item>Lambda's OnFailure destination record: the original event in <c>requestPayload</c>; <c>requestContext</c>
///   (condition, approximateInvokeCount) and <c>responsePayload</c> (errorType, errorMessage) say why it failed;</item>
/// <item>an SQS-wrapped S3 event (an SQS batch payload), and</item>
/// <item>a plain S3 event.</item>
/// </list>
/// The event inside is read by <see cref="EventParser"/>, the function's own parser.
/// </summary>
internal sealed record QueuedEvent(IReadOnlyList<IncomingRecord> Records, string? EarlierFailure)
{
    /// <summary>The message's event, or why it cannot be replayed (then it stays in the queue).</summary>
    public static (QueuedEvent? Event, string? Problem) Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string? earlierFailure = null;
            var payload = Encoding.UTF8.GetBytes(body);
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("requestPayload", out var request))
            {
                earlierFailure = DescribeFailure(root);
                payload = request.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(request.GetString()!) : Encoding.UTF8.GetBytes(request.GetRawText());
            }
            var records = EventParser.Parse(payload);
            if (records.FirstOrDefault(r => r.Kind == IncomingRecordKind.Unrecognised) is { } unrecognised)
                return (null, $"a message inside is not an S3 event: {unrecognised.Problem}");
            return records.Count == 0 ? (null, "the event holds no records") : (new QueuedEvent(records, earlierFailure), null);
        }
        catch (JsonException e)
        {
            return (null, $"the message body is not JSON: {e.Message}");
        }
    }

    /// <summary>"RetriesExhausted after 3 attempts: IngestFailedException: …", from requestContext and responsePayload.</summary>
    private static string DescribeFailure(JsonElement record)
    {
        var parts = new List<string>();
        if (record.TryGetProperty("requestContext", out var context) && context.ValueKind == JsonValueKind.Object)
        {
            if (context.TryGetProperty("condition", out var condition) && condition.ValueKind == JsonValueKind.String)
                parts.Add(condition.GetString()!);
            if (context.TryGetProperty("approximateInvokeCount", out var count) && count.ValueKind == JsonValueKind.Number)
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"after {count.GetInt32()} attempt(s)"));
        }
        var failure = parts.Count == 0 ? "the invocation failed" : string.Join(' ', parts);
        if (record.TryGetProperty("responsePayload", out var response) && response.ValueKind == JsonValueKind.Object)
        {
            var type = response.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() + ": " : "";
            if (response.TryGetProperty("errorMessage", out var message) && message.ValueKind == JsonValueKind.String)
                failure += $": {type}{message.GetString()}";
        }
        return failure;
    }
}
