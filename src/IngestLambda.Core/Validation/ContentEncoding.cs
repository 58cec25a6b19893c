namespace IngestLambda.Core.Validation;

/// <summary>
/// How an object's bytes hold its CSV (docs/contracts.md "Compressed files"): the name says what a file is, so a key ending in
/// <c>.csv.gz</c> is gzip and anything else is read as it is, even when its bytes happen to be gzip.
/// </summary>
public enum ContentEncoding
{
    None,
    Gzip,
}

public static class ContentEncodings
{
    public const string GzipSuffix = ".csv.gz";
    public const string CsvSuffix = ".csv";

    /// <summary>The suffixes the S3 event filter sends (template.yaml): <c>.csv</c> and <c>.csv.gz</c>.</summary>
    public static bool IsIngestedName(string key) =>
        key.EndsWith(CsvSuffix, StringComparison.Ordinal) || key.EndsWith(GzipSuffix, StringComparison.Ordinal);

    public static ContentEncoding FromName(string keyOrPath) =>
        keyOrPath.EndsWith(GzipSuffix, StringComparison.Ordinal) ? ContentEncoding.Gzip : ContentEncoding.None;

    /// <summary>The report's <c>compression</c> word.</summary>
    public static string ReportName(this ContentEncoding encoding) => encoding == ContentEncoding.Gzip ? "gzip" : "none";
}
