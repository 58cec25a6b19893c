using System.Globalization;

namespace IngestLambda.Analytics.Lake;

/// <summary>
/// The local copies of the s3:// objects <c>answers</c> reads (DuckDB's httpfs extension cannot be installed offline).
/// An entry is named by the object's ETag and size, so it is reused as long as the object is unchanged. The cache
/// stays within <see cref="MaxBytes"/>: before downloading, the least recently used entries go first, never the files
/// the run is about to read (so one snapshot larger than the limit still runs, and is the next to go).
/// </summary>
internal sealed class AnswersCache(string directory, long maxBytes, TimeProvider time)
{
    public const string DirectoryVariable = "ANSWERS_CACHE_DIR";
    public const string MaxMegabytesVariable = "ANSWERS_CACHE_MAX_MB";
    public const long DefaultMaxMegabytes = 512;
    private const long MiB = 1024 * 1024;

    public string Directory { get; } = directory;

    public long MaxBytes { get; } = maxBytes;

    /// <summary>ANSWERS_CACHE_DIR, else $XDG_CACHE_HOME/ingestlambda/answers, else ~/.cache/ingestlambda/answers; ANSWERS_CACHE_MAX_MB (default 512).</summary>
    public static AnswersCache FromEnvironment(Func<string, string?> environment)
    {
        var directory = environment(DirectoryVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(environment("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
                "ingestlambda", "answers");
        var megabytes = DefaultMaxMegabytes;
        if (environment(MaxMegabytesVariable) is { Length: > 0 } text
            && (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out megabytes) || megabytes > long.MaxValue / MiB))
        {
            throw new UsageException($"{MaxMegabytesVariable} must be a whole number of megabytes, not '{text}'.");
        }
        return new AnswersCache(directory, megabytes * MiB, TimeProvider.System);
    }

    /// <summary>The entry of one object version: its ETag (an MD5 or a multipart digest) and size name its content.</summary>
    public string PathFor(string? eTag, long size, string key)
    {
        var tag = (eTag ?? "").Trim('"').Replace('/', '_');
        var extension = key.EndsWith(".gz", StringComparison.Ordinal) ? ".csv.gz" : ".csv";
        return Path.Combine(Directory, $"{tag}-{size}{extension}");
    }

    /// <summary>
    /// Deletes least recently used entries (partial downloads included) until what stays plus
    /// <paramref name="incomingBytes"/> fits in <see cref="MaxBytes"/>; the files in <paramref name="keep"/> stay.
    /// Returns the paths it deleted.
    /// </summary>
    public IReadOnlyList<string> MakeRoom(IEnumerable<string> keep, long incomingBytes)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var kept = keep.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var entries = new DirectoryInfo(Directory).EnumerateFiles().Select(Describe).OfType<(string FullName, long Length, DateTime Used)>().ToList();
        var total = entries.Sum(entry => entry.Length) + incomingBytes;
        var deleted = new List<string>();
        foreach (var entry in entries.Where(entry => !kept.Contains(entry.FullName)).OrderBy(entry => entry.Used))
        {
            if (total <= MaxBytes)
                break;
            File.Delete(entry.FullName); // no error when another run deleted it first
            total -= entry.Length;
            deleted.Add(entry.FullName);
        }
        return deleted;
    }

    /// <summary>An entry's size and last use; null when another run removed it meanwhile (a download renamed, an eviction).</summary>
    private static (string FullName, long Length, DateTime Used)? Describe(FileInfo entry)
    {
        try
        {
            return (entry.FullName, entry.Length, entry.LastAccessTimeUtc);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Records that a run read these entries (their access time orders the eviction).</summary>
    public void MarkUsed(IEnumerable<string> paths)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var path in paths.Where(File.Exists))
            File.SetLastAccessTimeUtc(path, now);
    }
}
