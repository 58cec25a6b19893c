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
    /// <summary>A <c>.csv.gz</c> that is not a gzip stream, is corrupt or truncated, or has trailing bytes; the offset is in the compressed bytes.</summary>
    public const string InvalidGzip = "invalid-gzip";
}
