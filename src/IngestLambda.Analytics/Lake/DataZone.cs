namespace IngestLambda.Analytics.Lake;

/// <summary>
/// A zone of the lake `answers` reads: the raw CSV copies (RAW_PREFIX) or the typed Parquet copies (TRUSTED_PREFIX),
/// laid out alike by dataset and date (docs/contracts.md "Lake layout"). Both give identical answers.
/// </summary>
internal sealed record DataZone(string Name, string Prefix, IReadOnlyList<string> Suffixes)
{
    public const string ParquetSuffix = ".parquet";

    public static DataZone Raw(string prefix) => new("raw", prefix, [".csv", ".csv.gz"]);

    public static DataZone Trusted(string prefix) => new("trusted", prefix, [ParquetSuffix]);
}
