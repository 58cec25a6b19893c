using System.Text.Json.Serialization;

namespace IngestLambda.Notifications;

/// <summary>The body of EventBridge's PutEvents (JSON 1.1 protocol, member names as AWS spells them).</summary>
internal sealed record PutEventsRequest(IReadOnlyList<PutEventsEntry> Entries);

internal sealed record PutEventsEntry(string Source, string DetailType, string Detail, string EventBusName);

/// <summary>PutEvents' answer: an entry per event, in order, with an <c>ErrorCode</c> for each one not accepted.</summary>
internal sealed record PutEventsResponse(int FailedEntryCount, IReadOnlyList<PutEventsResultEntry>? Entries);

internal sealed record PutEventsResultEntry(string? EventId, string? ErrorCode, string? ErrorMessage);

/// <summary>An error answer of the JSON protocols: <c>{"__type":"…","message":"…"}</c> (some services write <c>Message</c>).</summary>
internal sealed record AwsJsonError([property: JsonPropertyName("__type")] string? Type, string? Message);

/// <summary>Source-generated (AOT-safe) JSON for the EventBridge calls and the outcome detail.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PutEventsRequest))]
[JsonSerializable(typeof(PutEventsResponse))]
[JsonSerializable(typeof(AwsJsonError))]
internal sealed partial class EventBridgeJsonContext : JsonSerializerContext;
