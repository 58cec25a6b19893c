using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IngestLambda.Observability;

/// <summary>
/// Every line the process writes as the function: one JSON object with <c>timestamp</c> (RFC 3339, UTC) and
/// <c>level</c> first, the two fields Lambda's log filter reads (a line without them counts as INFO). Errors carry
/// the exception as the Runtime API gets it (type, message, stack and causes) inside the same line. Thread-safe.
/// </summary>
public sealed class JsonLog(TextWriter writer, LogSettings settings, TimeProvider? time = null)
{
    /// <summary>An exception in a log line is cut to this size (CloudWatch takes events of up to 256 KB).</summary>
    private const int MaxErrorBytes = 64 * 1024;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();

    public LogSettings Settings { get; } = settings;

    public TimeProvider Time => _time;

    public bool IsEnabled(LogLevel level) => level >= Settings.Minimum;

    /// <summary>A free-text line.</summary>
    public void Message(LogLevel level, string text, string? requestId = null)
    {
        if (IsEnabled(level))
            Write(level, requestId, json => json.WriteString("message", text));
    }

    /// <summary>A failure with its exception: <c>message</c>, then <c>error</c> as the Runtime API's error body.</summary>
    public void Error(string text, Exception exception, string? requestId = null, LogLevel level = LogLevel.Error)
    {
        if (!IsEnabled(level))
            return;
        var error = ErrorReport.FromException(exception).ToJson(MaxErrorBytes);
        Write(level, requestId, json =>
        {
            json.WriteString("message", text);
            json.WritePropertyName("error");
            json.WriteRawValue(error, skipInputValidation: true);
        });
    }

    /// <summary>Writes one line whatever the minimum level (the caller decided); <paramref name="fields"/> adds the rest.</summary>
    internal void Write(LogLevel level, string? requestId, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, Core.JsonDefaults.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", level.Name());
            if (requestId is not null)
                json.WriteString("requestId", requestId);
            fields(json);
            json.WriteEndObject();
        }
        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
