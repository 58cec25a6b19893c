namespace IngestLambda.Analytics.Lake;

/// <summary>
/// One manifest of an accepted file: <c>&lt;ManifestPrefix&gt;&lt;Dataset&gt;/&lt;yyyy&gt;/&lt;MM&gt;/&lt;dd&gt;/&lt;path&gt;.json</c>
/// (docs/contracts.md "Lake layout"). The report's "Data quality" section reads the profiles in them.
/// </summary>
/// <param name="Name">How messages name it: a path below the lake folder, or an s3:// URI.</param>
/// <param name="Location">Where it is read: a local path, or the object's key.</param>
internal sealed record ManifestFile(string Dataset, DateOnly Date, string Name, string Location)
{
    /// <summary>The dataset and date of a key relative to the manifest prefix; null for a claim or anything not a dated <c>.json</c>.</summary>
    public static (string Dataset, DateOnly Date)? Parse(string relativeKey) =>
        relativeKey.EndsWith(".json", StringComparison.Ordinal) ? DataFile.ParseDated(relativeKey) : null;
}
