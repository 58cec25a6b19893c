namespace IngestLambda.Analytics.Lake;

/// <summary>A lake laid out like the bucket: a local folder or an s3:// bucket (and optional prefix).</summary>
internal interface ILake
{
    /// <summary>How messages name one of the lake's zones.</summary>
    string LocationOf(DataZone zone);

    /// <summary>Every data file of the zone whose dataset is known (nothing outside the zone's prefix is listed).</summary>
    Task<IReadOnlyList<DataFile>> ListAsync(DataZone zone, IReadOnlySet<string> datasets, CancellationToken cancellationToken);

    /// <summary>Makes the chosen files readable from local disk (downloads what the cache lacks); returns them with local paths.</summary>
    Task<IReadOnlyList<DataFile>> MaterializeAsync(IReadOnlyList<DataFile> files, CancellationToken cancellationToken);

    /// <summary>How messages name the lake's manifests.</summary>
    string ManifestLocation { get; }

    /// <summary>Every manifest below the manifest prefix whose dataset is known; none when the prefix holds nothing.</summary>
    Task<IReadOnlyList<ManifestFile>> ListManifestsAsync(IReadOnlySet<string> datasets, CancellationToken cancellationToken);

    /// <summary>A manifest's bytes (small: a manifest is a few KB).</summary>
    Task<byte[]> ReadAsync(ManifestFile manifest, CancellationToken cancellationToken);
}
