using System.Globalization;

namespace IngestLambda.Analytics.Lake;

/// <summary>
/// One data file of a zone: <c>&lt;zone prefix&gt;&lt;Dataset&gt;/&lt;yyyy&gt;/&lt;MM&gt;/&lt;dd&gt;/&lt;path&gt;</c>, where
/// <c>path</c> may hold folders (the landing key's path is kept) and ends with one of the zone's suffixes
/// (<see cref="DataZone"/>: <c>.csv</c> or <c>.csv.gz</c> in Raw, <c>.parquet</c> in Trusted).
/// </summary>
/// <param name="Name">How messages name the file: a path below the lake folder, or an s3:// URI.</param>
/// <param name="LocalPath">Where DuckDB reads it (for s3://, the cached copy).</param>
internal sealed record DataFile(string Dataset, DateOnly Date, string Name, string LocalPath, long Size)
{
    public bool IsGzip => LocalPath.EndsWith(".gz", StringComparison.Ordinal);

    public bool IsParquet => Name.EndsWith(DataZone.ParquetSuffix, StringComparison.Ordinal);

    /// <summary>
    /// Reads the dataset and date from a key relative to the zone's prefix; null for anything that is not a data file
    /// of a date folder (a folder marker, a stray file beside the date folders, a suffix the zone does not hold).
    /// </summary>
    public static (string Dataset, DateOnly Date)? Parse(string relativeKey, DataZone zone) =>
        zone.Suffixes.Any(suffix => relativeKey.EndsWith(suffix, StringComparison.Ordinal)) ? ParseDated(relativeKey) : null;

    /// <summary>The dataset and date of any key laid out as <c>&lt;Dataset&gt;/&lt;yyyy&gt;/&lt;MM&gt;/&lt;dd&gt;/&lt;path&gt;</c> (data files and manifests alike).</summary>
    public static (string Dataset, DateOnly Date)? ParseDated(string relativeKey)
    {
        var parts = relativeKey.Split('/');
        if (parts.Length < 5 || parts[..5].Any(part => part.Length == 0))
            return null;
        if (parts[1].Length != 4 || parts[2].Length != 2 || parts[3].Length != 2)
            return null;
        return DateOnly.TryParseExact($"{parts[1]}-{parts[2]}-{parts[3]}", "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.None, out var date)
            ? (parts[0], date)
            : null;
    }
}
