namespace IngestLambda.Core.Validation;

/// <summary>
/// How an object's bytes hold its CSV (docs/contracts.md "Compressed files"): the name says what a file is, so a key ending in
/// <c>.csv.gz</c> is gzip and anything else is read as it is, even when its bytes happen to be gzip. Suffixes are
/// matched in any case (<c>.CSV.GZ</c> is gzip, <c>.CSV</c> is a CSV), as a person naming a file means them.
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

    /// <summary>
    /// The names ingested: <c>.csv</c> and <c>.csv.gz</c> in any case. (S3's own event filter in template.yaml matches
    /// suffixes case-sensitively, so an upper-case name arrives through EventBridge, backfill or replay.)
    /// </summary>
    public static bool IsIngestedName(string key) =>
        key.EndsWith(CsvSuffix, StringComparison.OrdinalIgnoreCase) || key.EndsWith(GzipSuffix, StringComparison.OrdinalIgnoreCase);

    public static ContentEncoding FromName(string keyOrPath) =>
        keyOrPath.EndsWith(GzipSuffix, StringComparison.OrdinalIgnoreCase) ? ContentEncoding.Gzip : ContentEncoding.None;

    /// <summary>The report's <c>compression</c> word.</summary>
    public static string ReportName(this ContentEncoding encoding) => encoding == ContentEncoding.Gzip ? "gzip" : "none";
}
