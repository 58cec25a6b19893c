namespace IngestLambda.Analytics.Lake;

/// <summary>A lake laid out like the bucket: a local folder or an s3:// bucket (and optional prefix).</summary>
internal interface ILake
{
    /// <summary>How messages name the lake's raw zone.</summary>
    string RawLocation { get; }

    /// <summary>Every data file below the raw prefix whose dataset is known (nothing outside it is listed).</summary>
    Task<IReadOnlyList<RawFile>> ListAsync(IReadOnlySet<string> datasets, CancellationToken cancellationToken);

    /// <summary>Makes the chosen files readable from local disk (downloads what the cache lacks); returns them with local paths.</summary>
    Task<IReadOnlyList<RawFile>> MaterializeAsync(IReadOnlyList<RawFile> files, CancellationToken cancellationToken);

    /// <summary>How messages name the lake's manifests.</summary>
    string ManifestLocation { get; }

    /// <summary>Every manifest below the manifest prefix whose dataset is known; none when the prefix holds nothing.</summary>
    Task<IReadOnlyList<ManifestFile>> ListManifestsAsync(IReadOnlySet<string> datasets, CancellationToken cancellationToken);

    /// <summary>A manifest's bytes (small: a manifest is a few KB).</summary>
    Task<byte[]> ReadAsync(ManifestFile manifest, CancellationToken cancellationToken);
}
