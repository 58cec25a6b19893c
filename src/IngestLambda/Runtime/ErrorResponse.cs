using System.Text.Json.Serialization;

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
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
