using System.Text.Json;
using IngestLambda.Core.Reports;
using IngestLambda.Observability;

namespace IngestLambda.Pipeline;

/// <summary>
/// Structured logs: one JSON line per record (timestamp, level, request id, bucket, key, outcome, dataset, rows,
/// bytes, durations, error count), written with Utf8JsonWriter (no reflection) through <see cref="JsonLog"/>. Lines
/// of accepted and rejected files also carry CloudWatch Embedded Metric Format metrics in namespace
/// <c>IngestLambda</c>, so CloudWatch turns the same line into metrics; when the log level hides such a line, a
/// metrics-only line is written instead, at <see cref="LogSettings.MetricsLevel"/>, so metrics never vanish.
/// </summary>
public sealed class IngestLog(JsonLog log)
{
    public const string MetricNamespace = EmbeddedMetrics.Namespace;

    public IngestLog(TextWriter writer, LogLevel minimumLevel, TimeProvider time)
        : this(new JsonLog(writer, LogSettings.Default with { Minimum = minimumLevel }, time))
    {
    }

    public JsonLog Log { get; } = log;

    public bool IsEnabled(LogLevel level) => Log.IsEnabled(level);

    /// <summary>A free-text line (start-up, failures outside a record).</summary>
    public void Message(LogLevel level, string text, string? requestId = null) => Log.Message(level, text, requestId);

    internal void Record(RecordRun run, RecordResult record)
    {
        var context = run.Context;
        var level = record.Outcome switch
        {
            Outcomes.Failed => LogLevel.Error,
            Outcomes.Rejected => LogLevel.Warn,
            _ => LogLevel.Info,
        };
        var hasMetrics = record.Outcome is Outcomes.Accepted or Outcomes.Rejected;
        if (!IsEnabled(level) && !hasMetrics)
            return;

        var recordShown = IsEnabled(level);
        Log.Write(recordShown ? level : Log.Settings.MetricsLevel, context.AwsRequestId, json =>
        {
            if (recordShown)
            {
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
                json.WriteNumber("validationMs", run.ValidationMs);
                json.WriteNumber("copyMs", run.CopyMs);
                if (record.SqsMessageId is not null)
                    json.WriteString("sqsMessageId", record.SqsMessageId);
                if (record.Message is not null)
                    json.WriteString("message", record.Message);
            }
            if (hasMetrics)
                WriteMetrics(json, run, record);
        });
    }

    /// <summary>The EMF directive and the metric values (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).</summary>
    private void WriteMetrics(Utf8JsonWriter json, RecordRun run, RecordResult record)
    {
        var context = run.Context;
        var profile = record.Outcome == Outcomes.Accepted && !string.IsNullOrEmpty(record.Dataset) ? run.Verdict?.Validation.Profile : null;
        // Accepted files: Rows and NullRate (percent of the file's fields that are missing values) also per dataset,
        // so an operator can alarm on one dataset's rows falling or its nulls rising (docs/contracts.md "Logs").
        EmbeddedMetrics.WriteDirectives(json, Log.Time.GetUtcNow(), profile is null
            ? [(["FunctionName"], Metrics)]
            : [(["FunctionName"], Metrics), (["FunctionName", "Dataset"], DatasetMetrics)]);

        if (profile is not null)
        {
            json.WriteString("Dataset", record.Dataset);
            json.WriteNumber("NullRate", Math.Round(profile.NullRatePercent(), 4));
        }
        // CloudWatch drops metrics whose dimension value is empty.
        json.WriteString("FunctionName", string.IsNullOrEmpty(context.FunctionName) ? "IngestFunction" : context.FunctionName);
        json.WriteNumber("FilesAccepted", record.Outcome == Outcomes.Accepted ? 1 : 0);
        json.WriteNumber("FilesRejected", record.Outcome == Outcomes.Rejected ? 1 : 0);
        json.WriteNumber("Rows", record.Rows ?? 0);
        json.WriteNumber("Bytes", record.Bytes ?? 0);
        json.WriteNumber("ValidationMilliseconds", run.ValidationMs);
        json.WriteNumber("CopyMilliseconds", run.CopyMs);
    }

    private static readonly (string Name, string Unit)[] DatasetMetrics = [("Rows", "Count"), ("NullRate", "Percent")];

    private static readonly (string Name, string Unit)[] Metrics =
    [
        ("FilesAccepted", "Count"), ("FilesRejected", "Count"), ("Rows", "Count"), ("Bytes", "Bytes"),
        ("ValidationMilliseconds", "Milliseconds"), ("CopyMilliseconds", "Milliseconds"),
    ];

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
            json.WriteNumber(name, number);
        else
            json.WriteNull(name);
    }
}
