namespace IngestLambda.Analytics.Lake;

/// <summary>A folder laid out like the bucket (<c>FOLDER/Raw/Local/CSV/Movies/2026/11/26/movies.csv</c>).</summary>
internal sealed class FolderLake(string root, string rawPrefix, string manifestPrefix = "manifests/") : ILake
{
    private readonly string _raw = Path.Combine(Path.GetFullPath(root), rawPrefix.TrimEnd('/'));
    private readonly string _manifests = Path.Combine(Path.GetFullPath(root), manifestPrefix.TrimEnd('/'));

    public string RawLocation => _raw + "/";

    public Task<IReadOnlyList<RawFile>> ListAsync(IReadOnlySet<string> datasets, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
            throw new LakeAccessException($"The lake folder '{root}' does not exist.");
        var files = new List<RawFile>();
        if (Directory.Exists(_raw))
        {
            foreach (var path in Directory.EnumerateFiles(_raw, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(_raw, path).Replace(Path.DirectorySeparatorChar, '/');
                if (RawFile.Parse(relative) is { } parsed && datasets.Contains(parsed.Dataset))
                    files.Add(new RawFile(parsed.Dataset, parsed.Date, Path.GetRelativePath(root, path), path, new FileInfo(path).Length));
            }
        }
        return Task.FromResult<IReadOnlyList<RawFile>>(files);
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

    public Task<IReadOnlyList<RawFile>> MaterializeAsync(IReadOnlyList<RawFile> files, CancellationToken cancellationToken) =>
        Task.FromResult(files);
}
