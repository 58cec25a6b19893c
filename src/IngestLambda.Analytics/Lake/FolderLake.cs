namespace IngestLambda.Analytics.Lake;

/// <summary>A folder laid out like the bucket (<c>FOLDER/Raw/Local/CSV/Movies/2026/11/26/movies.csv</c>, <c>FOLDER/Trusted/…</c>).</summary>
internal sealed class FolderLake(string root, string manifestPrefix = "manifests/") : ILake
{
    private readonly string _manifests = Path.Combine(Path.GetFullPath(root), manifestPrefix.TrimEnd('/'));

    public string LocationOf(DataZone zone) => Folder(zone) + "/";

    private string Folder(DataZone zone) => Path.Combine(Path.GetFullPath(root), zone.Prefix.TrimEnd('/'));

    public Task<IReadOnlyList<DataFile>> ListAsync(DataZone zone, IReadOnlySet<string> datasets, CancellationToken cancellationToken)
    {
        var folder = Folder(zone);
        if (!Directory.Exists(root))
            throw new LakeAccessException($"The lake folder '{root}' does not exist.");
        var files = new List<DataFile>();
        if (Directory.Exists(folder))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
                if (DataFile.Parse(relative, zone) is { } parsed && datasets.Contains(parsed.Dataset))
                    files.Add(new DataFile(parsed.Dataset, parsed.Date, Path.GetRelativePath(root, path), path, new FileInfo(path).Length));
            }
        }
        return Task.FromResult<IReadOnlyList<DataFile>>(files);
    }

    public string ManifestLocation => _manifests + "/";

    public Task<IReadOnlyList<ManifestFile>> ListManifestsAsync(IReadOnlySet<string> datasets, CancellationToken cancellationToken)
    {
        var manifests = new List<ManifestFile>();
        if (Directory.Exists(_manifests))
        {
            foreach (var path in Directory.EnumerateFiles(_manifests, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(_manifests, path).Replace(Path.DirectorySeparatorChar, '/');
                if (ManifestFile.Parse(relative) is { } parsed && datasets.Contains(parsed.Dataset))
                    manifests.Add(new ManifestFile(parsed.Dataset, parsed.Date, Path.GetRelativePath(root, path), path));
            }
        }
        return Task.FromResult<IReadOnlyList<ManifestFile>>(manifests);
    }

    public Task<byte[]> ReadAsync(ManifestFile manifest, CancellationToken cancellationToken) =>
        File.ReadAllBytesAsync(manifest.Location, cancellationToken);

    public Task<IReadOnlyList<DataFile>> MaterializeAsync(IReadOnlyList<DataFile> files, CancellationToken cancellationToken) =>
        Task.FromResult(files);
}
