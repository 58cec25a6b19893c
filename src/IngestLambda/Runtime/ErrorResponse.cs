using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace IngestLambda.Runtime;

/// <summary>The JSON body of <c>/invocation/{id}/error</c> and <c>/init/error</c>, as the Runtime API documents it.</summary>
internal sealed record ErrorResponse(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("stackTrace")] IReadOnlyList<string> StackTrace)
{
    /// <summary>errorType is the exception's type name, as RuntimeSupport reports it; the stack is one frame a line.</summary>
    public static ErrorResponse FromException(Exception exception) => new(
        exception.Message,
        exception.GetType().Name,
        SplitStackTrace(exception.StackTrace));

    private static string[] SplitStackTrace(string? stackTrace) =>
        stackTrace is null
            ? []
            : stackTrace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext
{
    /// <summary>Relaxed escaping: the body is read in logs and consoles, not embedded in HTML, so keep '+' and '&lt;' as they are.</summary>
    public static JsonTypeInfo<ErrorResponse> ErrorResponseTypeInfo { get; } = new RuntimeJsonContext(
        new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ErrorResponse;
}
