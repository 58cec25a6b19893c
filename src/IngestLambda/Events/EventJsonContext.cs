using System.Text.Json.Serialization;

namespace IngestLambda.Events;

/// <summary>
/// Source-generated (AOT-safe) JSON for the incoming events. Property names are explicit on each type. Read strictly
/// (<see cref="Core.JsonDefaults"/>): <see cref="EventParser"/> parses with its strict document options and deserializes through <see cref="StrictEventJson"/>.
/// </summary>
[JsonSerializable(typeof(S3Event))]
[JsonSerializable(typeof(S3EventRecord))]
[JsonSerializable(typeof(S3TestEvent))]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsMessage))]
[JsonSerializable(typeof(SnsRecord))]
[JsonSerializable(typeof(EventBridgeEvent))]
public sealed partial class EventJsonContext : JsonSerializerContext;

/// <summary>The event context with the one JSON option set's strict reading.</summary>
internal static class StrictEventJson
{
    public static EventJsonContext Context { get; } = new(Core.JsonDefaults.Apply(EventJsonContext.Default.Options));
}
