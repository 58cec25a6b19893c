using System.Text.Json.Serialization;

namespace IngestLambda.Events;

/// <summary>Source-generated (AOT-safe) JSON for the incoming events. Property names are explicit on each type.</summary>
[JsonSourceGenerationOptions(AllowTrailingCommas = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(S3Event))]
[JsonSerializable(typeof(S3EventRecord))]
[JsonSerializable(typeof(S3TestEvent))]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsMessage))]
[JsonSerializable(typeof(SnsRecord))]
[JsonSerializable(typeof(EventBridgeEvent))]
public sealed partial class EventJsonContext : JsonSerializerContext;
