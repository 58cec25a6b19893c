using System.Text;
using System.Text.Json;
using IngestLambda.Ingestion;
using IngestLambda.Runtime;

namespace IngestLambda.Observability;

/// <summary>
/// Structured logs: one JSON line per record (time, level, request id, bucket, key, outcome, dataset, rows, bytes,
/// durations, error count), written with Utf8JsonWriter (no reflection). Lines of accepted and rejected files also
/// carry CloudWatch Embedded Metric Format metrics in namespace <c>IngestLambda</c>, so CloudWatch turns the same line
/// into metrics; when LOG_LEVEL hides such a line, a metrics-only line is written instead so metrics never vanish.
/// </summary>
public sealed class IngestLog(TextWriter writer, LogLevel minimumLevel, TimeProvider time)
{
    public const string MetricNamespace = "IngestLambda";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };
    private readonly Lock _gate = new();

    public bool IsEnabled(LogLevel level) => level >= minimumLevel;

    /// <summary>A free-text line (start-up, failures outside a record).</summary>
    public void Message(LogLevel level, string text, string? requestId = null)
    {
        if (!IsEnabled(level))
            return;
        Write(json =>
        {
            WriteHeader(json, level, requestId);
            json.WriteString("message", text);
        });
    }

    internal void Record(ILambdaContext context, RecordResult record, StepTimings timings)
    {
        var level = record.Outcome switch
        {
            Outcomes.Failed => LogLevel.Error,
            Outcomes.Rejected => LogLevel.Warn,
            _ => LogLevel.Info,
        };
        var hasMetrics = record.Outcome is Outcomes.Accepted or Outcomes.Rejected;
        if (!IsEnabled(level) && !hasMetrics)
            return;

        Write(json =>
        {
            if (IsEnabled(level))
            {
                WriteHeader(json, level, context.AwsRequestId);
                json.WriteString("bucket", record.Bucket);
                json.WriteString("key", record.Key);
                json.WriteString("versionId", record.VersionId);
                json.WriteString("outcome", record.Outcome);
                json.WriteString("dataset", record.Dataset);
                json.WriteString("destinationKey", record.DestinationKey);
                WriteNumberOrNull(json, "rows", record.Rows);
                WriteNumberOrNull(json, "bytes", record.Bytes);
                WriteNumberOrNull(json, "errorCount", record.ErrorCount);
                json.WriteNumber("durationMs", record.DurationMs);
                json.WriteNumber("validationMs", timings.ValidationMs);
                json.WriteNumber("copyMs", timings.CopyMs);
                if (record.SqsMessageId is not null)
                    json.WriteString("sqsMessageId", record.SqsMessageId);
                if (record.Message is not null)
                    json.WriteString("message", record.Message);
            }
            if (hasMetrics)
                WriteMetrics(json, context, record, timings);
        });
    }

    /// <summary>The EMF directive and the metric values (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).</summary>
    private void WriteMetrics(Utf8JsonWriter json, ILambdaContext context, RecordResult record, StepTimings timings)
    {
        json.WriteStartObject("_aws");
        json.WriteNumber("Timestamp", time.GetUtcNow().ToUnixTimeMilliseconds());
        json.WriteStartArray("CloudWatchMetrics");
        json.WriteStartObject();
        json.WriteString("Namespace", MetricNamespace);
        json.WriteStartArray("Dimensions");
        json.WriteStartArray();
        json.WriteStringValue("FunctionName");
        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteStartArray("Metrics");
        foreach (var (name, unit) in Metrics)
        {
            json.WriteStartObject();
            json.WriteString("Name", name);
            json.WriteString("Unit", unit);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();

        // CloudWatch drops metrics whose dimension value is empty.
        json.WriteString("FunctionName", string.IsNullOrEmpty(context.FunctionName) ? "IngestFunction" : context.FunctionName);
        json.WriteNumber("FilesAccepted", record.Outcome == Outcomes.Accepted ? 1 : 0);
        json.WriteNumber("FilesRejected", record.Outcome == Outcomes.Rejected ? 1 : 0);
        json.WriteNumber("Rows", record.Rows ?? 0);
        json.WriteNumber("Bytes", record.Bytes ?? 0);
        json.WriteNumber("ValidationMilliseconds", timings.ValidationMs);
        json.WriteNumber("CopyMilliseconds", timings.CopyMs);
    }

    private static readonly (string Name, string Unit)[] Metrics =
    [
        ("FilesAccepted", "Count"), ("FilesRejected", "Count"), ("Rows", "Count"), ("Bytes", "Bytes"),
        ("ValidationMilliseconds", "Milliseconds"), ("CopyMilliseconds", "Milliseconds"),
    ];

    private void WriteHeader(Utf8JsonWriter json, LogLevel level, string? requestId)
    {
        json.WriteString("time", time.GetUtcNow());
        json.WriteString("level", level.ToString().ToUpperInvariant());
        json.WriteString("requestId", requestId);
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
            json.WriteNumber(name, number);
        else
            json.WriteNull(name);
    }

    private void Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
