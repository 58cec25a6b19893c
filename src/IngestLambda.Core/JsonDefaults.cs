using System.Text.Encodings.Web;
using System.Text.Json;

namespace IngestLambda.Core;

/// <summary>
/// The one JSON option set (docs/contracts.md, "JSON"). Everything the program writes (the result, manifests and
/// quarantine reports, <c>validate --json</c>, log lines, error reports) escapes only what JSON requires, so keys and
/// messages read as they are: <c>+</c>, <c>'</c>, <c>&lt;</c> and non-ASCII text are written as themselves, not as
/// <c>\u002B</c> (the output is never embedded in HTML). Everything it reads from outside (events) is strict JSON:
/// no comments, no trailing commas, no property twice (parsers disagree on which copy wins, so two readers of one
/// event could see two objects).
/// </summary>
public static class JsonDefaults
{
    /// <summary>Escapes what JSON requires (quotes, backslash, control characters) and nothing else.</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>For <see cref="Utf8JsonWriter"/>s that write the program's output.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Encoder };

    /// <summary>For <see cref="JsonDocument"/>s that read input from outside.</summary>
    public static JsonDocumentOptions StrictDocumentOptions { get; } = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// A source-generated context's options (its naming and indentation) with this set's escaping and strictness; pass
    /// the result to the context's constructor. AOT-safe: the context's generated metadata stays the resolver.
    /// </summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions generated) => new(generated)
    {
        Encoder = Encoder,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };
}
