using System.Text.Json;

namespace IngestLambda.Observability;

/// <summary>
/// The CloudWatch Embedded Metric Format directive (<c>_aws</c>) of a log line
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html);
/// the caller then writes each dimension and metric value as a property of the same line.
/// </summary>
public static class EmbeddedMetrics
{
    /// <summary>The function's metric namespace.</summary>
    public const string Namespace = "IngestLambda";

    public static void WriteDirective(Utf8JsonWriter json, DateTimeOffset timestamp, IReadOnlyList<string> dimensions,
        IReadOnlyList<(string Name, string Unit)> metrics) =>
        WriteDirectives(json, timestamp, [(dimensions, metrics)]);

    /// <summary>Several metric sets on one line, each with its own dimensions (a metric may appear in more than one).</summary>
    public static void WriteDirectives(Utf8JsonWriter json, DateTimeOffset timestamp,
        IReadOnlyList<(IReadOnlyList<string> Dimensions, IReadOnlyList<(string Name, string Unit)> Metrics)> directives)
    {
        json.WriteStartObject("_aws");
        json.WriteNumber("Timestamp", timestamp.ToUnixTimeMilliseconds());
        json.WriteStartArray("CloudWatchMetrics");
        foreach (var (dimensions, metrics) in directives)
            WriteMetricSet(json, dimensions, metrics);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteMetricSet(Utf8JsonWriter json, IReadOnlyList<string> dimensions, IReadOnlyList<(string Name, string Unit)> metrics)
    {
        json.WriteStartObject();
        json.WriteString("Namespace", Namespace);
        json.WriteStartArray("Dimensions");
        json.WriteStartArray();
        foreach (var dimension in dimensions)
            json.WriteStringValue(dimension);
        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteStartArray("Metrics");
        foreach (var (name, unit) in metrics)
        {
            json.WriteStartObject();
            json.WriteString("Name", name);
            json.WriteString("Unit", unit);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
