using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IngestLambda.Observability;

/// <summary>
/// An error as the Runtime API receives it from Amazon.Lambda.RuntimeSupport: <c>errorType</c> (the exception's type
/// name), <c>errorMessage</c>, <c>stackTrace</c> (one frame an entry), the inner exception as <c>cause</c> and an
/// AggregateException's inner exceptions as <c>causes</c>; posted as <see cref="ContentType"/>, the body at most
/// <see cref="MaxBodyBytes"/>. With tracing on, the same error goes to X-Ray in the
/// <see cref="XRayCauseHeader"/> header (<see cref="ToXRayCause"/>).
/// </summary>
internal sealed class ErrorReport
{
    public const string ContentType = "application/vnd.aws.lambda.error+json";
    public const string XRayCauseHeader = "Lambda-Runtime-Function-XRay-Error-Cause";
    public const int MaxBodyBytes = 256 * 1024;
    /// <summary>Headers travel with every request hop; keep the X-Ray cause well below common header limits.</summary>
    public const int MaxXRayCauseBytes = 32 * 1024;
    /// <summary>Deeper cause chains are cut (a chain this long says nothing more, and JSON depth is bounded).</summary>
    private const int MaxCauseDepth = 16;

    private static readonly JsonWriterOptions BodyOptions = Core.JsonDefaults.WriterOptions;
    /// <summary>Header values must be ASCII: the default encoder escapes everything else.</summary>
    private static readonly JsonWriterOptions HeaderOptions = new() { Encoder = JavaScriptEncoder.Default };

    public ErrorReport(string errorType, string errorMessage, IReadOnlyList<string>? stackTrace = null,
        ErrorReport? cause = null, IReadOnlyList<ErrorReport>? causes = null)
    {
        ErrorType = errorType;
        ErrorMessage = errorMessage;
        StackTrace = stackTrace ?? [];
        Cause = cause;
        Causes = causes ?? [];
    }

    public string ErrorType { get; }
    public string ErrorMessage { get; }
    public IReadOnlyList<string> StackTrace { get; }
    public ErrorReport? Cause { get; }
    public IReadOnlyList<ErrorReport> Causes { get; }

    /// <summary>
    /// The exception and its inner exceptions. An AggregateException's inner exceptions are its <c>causes</c>; its
    /// InnerException (the first of them) is not repeated as <c>cause</c>, so each failure is reported once.
    /// </summary>
    public static ErrorReport FromException(Exception exception, int depth = 0)
    {
        var aggregate = exception as AggregateException;
        var nested = depth < MaxCauseDepth;
        return new ErrorReport(
            exception.GetType().Name,
            exception.Message,
            SplitStackTrace(exception.StackTrace),
            nested && aggregate is null && exception.InnerException is { } inner ? FromException(inner, depth + 1) : null,
            nested && aggregate is not null ? [.. aggregate.InnerExceptions.Select(e => FromException(e, depth + 1))] : null);
    }

    /// <summary>
    /// The JSON body, at most <paramref name="maxBytes"/>. When the whole report does not fit, it sheds detail in this
    /// order until it does: the causes' stack traces, the causes, then half of the message and stack at a time.
    /// </summary>
    public byte[] ToJson(int maxBytes = MaxBodyBytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        (bool Causes, bool CauseStacks)[] shapes = [(true, true), (true, false), (false, false)];
        foreach (var shape in shapes)
        {
            if (TryWrite(buffer, this, shape.Causes, shape.CauseStacks, maxBytes))
                return buffer.WrittenSpan.ToArray();
        }
        var keep = ErrorMessage.Length;
        var stack = StackTrace;
        while (true)
        {
            keep /= 2;
            if (keep > 0 && char.IsHighSurrogate(ErrorMessage[keep - 1]))
                keep--; // never split a surrogate pair
            stack = stack.Take(stack.Count / 2).ToList();
            var message = $"{ErrorMessage[..keep]} … (cut: the error report is limited to {maxBytes / 1024} KB)";
            if (TryWrite(buffer, new ErrorReport(ErrorType, message, stack), false, false, maxBytes))
                return buffer.WrittenSpan.ToArray();
        }
    }

    /// <summary>Writes the report as a JSON object (in a log line, for instance).</summary>
    public void WriteTo(Utf8JsonWriter json, bool withCauses = true, bool withCauseStacks = true, int depth = 0)
    {
        json.WriteStartObject();
        json.WriteString("errorType", ErrorType);
        json.WriteString("errorMessage", ErrorMessage);
        if (depth == 0 || withCauseStacks)
        {
            json.WriteStartArray("stackTrace");
            foreach (var frame in StackTrace)
                json.WriteStringValue(frame);
            json.WriteEndArray();
        }
        if (withCauses && Cause is not null)
        {
            json.WritePropertyName("cause");
            Cause.WriteTo(json, withCauses, withCauseStacks, depth + 1);
        }
        if (withCauses && Causes.Count > 0)
        {
            json.WriteStartArray("causes");
            foreach (var cause in Causes)
                cause.WriteTo(json, withCauses, withCauseStacks, depth + 1);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// The X-Ray error cause (the shape RuntimeSupport sends): the working directory, the exception with its stack
    /// frames (label, and path and line where the frame has them) and the distinct paths. One line of ASCII, at most
    /// <see cref="MaxXRayCauseBytes"/> (frames are dropped to fit).
    /// </summary>
    public string ToXRayCause(string workingDirectory)
    {
        var frames = StackTrace.Select(ParseFrame).ToList();
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer, HeaderOptions))
            {
                json.WriteStartObject();
                json.WriteString("working_directory", workingDirectory);
                json.WriteStartArray("exceptions");
                json.WriteStartObject();
                json.WriteString("type", ErrorType);
                json.WriteString("message", ErrorMessage.Length > 1024 ? ErrorMessage[..1024] : ErrorMessage);
                json.WriteStartArray("stack");
                foreach (var (label, path, line) in frames)
                {
                    json.WriteStartObject();
                    json.WriteString("label", label);
                    if (path is not null)
                    {
                        json.WriteString("path", path);
                        json.WriteNumber("line", line);
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteStartArray("paths");
                foreach (var path in frames.Select(f => f.Path).OfType<string>().Distinct(StringComparer.Ordinal))
                    json.WriteStringValue(path);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            if (buffer.WrittenCount <= MaxXRayCauseBytes || frames.Count == 0)
                return System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan);
            frames.RemoveRange(frames.Count / 2, frames.Count - frames.Count / 2);
        }
    }

    private static bool TryWrite(ArrayBufferWriter<byte> buffer, ErrorReport report, bool causes, bool causeStacks, int maxBytes)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, BodyOptions))
            report.WriteTo(json, causes, causeStacks);
        return buffer.WrittenCount <= maxBytes;
    }

    /// <summary>"at Type.Method(args) in /src/File.cs:line 42" (JIT with symbols) or "at Type.Method() + 0x6c" (Native AOT).</summary>
    private static (string Label, string? Path, int Line) ParseFrame(string frame)
    {
        var text = frame.StartsWith("at ", StringComparison.Ordinal) ? frame[3..] : frame;
        var inAt = text.LastIndexOf(" in ", StringComparison.Ordinal);
        var lineAt = text.LastIndexOf(":line ", StringComparison.Ordinal);
        if (inAt > 0 && lineAt > inAt && int.TryParse(text.AsSpan(lineAt + 6), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line))
            return (text[..inAt], text[(inAt + 4)..lineAt], line);
        return (text, null, 0);
    }

    private static string[] SplitStackTrace(string? stackTrace) =>
        stackTrace is null
            ? []
            : stackTrace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
