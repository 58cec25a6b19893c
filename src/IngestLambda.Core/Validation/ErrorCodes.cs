namespace IngestLambda.Core.Validation;

/// <summary>The error codes of docs/contracts.md ("Errors"); every validator run tells these apart.</summary>
public static class ErrorCodes
{
    public const string EmptyFile = "empty-file";
    public const string NoDataRows = "no-data-rows";
    public const string InvalidUtf8 = "invalid-utf8";
    public const string NulByte = "nul-byte";
    public const string BareCr = "bare-cr";
    public const string UnknownHeader = "unknown-header";
    public const string FieldCount = "field-count";
    public const string LineTooLong = "line-too-long";
    public const string NullNotAllowed = "null-not-allowed";
    public const string EmptyField = "empty-field";
    public const string InvalidValue = "invalid-value";
    /// <summary>Quoted dialects: a quote inside an unquoted field, a quoted field not followed by a delimiter or line end, or a quote left open at the end of the file.</summary>
    public const string BadQuote = "bad-quote";
    /// <summary>The header matches more than one dataset contract for the file's landing path: none is chosen.</summary>
    public const string AmbiguousDataset = "ambiguous-dataset";
    /// <summary>A <c>.csv.gz</c> that is not a gzip stream, is corrupt or truncated, or has trailing bytes; the offset is in the compressed bytes.</summary>
    public const string InvalidGzip = "invalid-gzip";
}
