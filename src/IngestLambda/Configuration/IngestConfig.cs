using System.Globalization;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Lake;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;
using IngestLambda.Observability;

namespace IngestLambda.Configuration;

/// <summary>
/// The function's settings (docs/contracts.md "Configuration"), read once at start-up. Every check names the variable, so a
/// bad deployment fails at init with a message an operator can act on.
/// </summary>
public sealed record IngestConfig
{
    public const long MiB = 1024 * 1024;
    public const long MinPartBytes = 5 * MiB;
    public const long MaxPartBytes = 5L * 1024 * MiB;
    public const int MaxParts = 10_000;
    /// <summary>The largest object a single CopyObject may copy.</summary>
    public const long MaxSingleCopyBytes = 5L * 1024 * MiB;
    /// <summary>The most memory a ranged read may hold in range buffers (part size times concurrency).</summary>
    public const long MaxRangedReadBufferBytes = 1024 * MiB;

    public LakePrefixes Prefixes { get => Layout.Prefixes; init => Layout = new LakeLayout(value); }

    /// <summary>The lake's keys under <see cref="Prefixes"/>: built once, with them.</summary>
    public LakeLayout Layout { get; private init; } = LakeLayout.Default;
    /// <summary>Null: write to the bucket the event names.</summary>
    public string? DestinationBucket { get; init; }
    public ValidationOptions Validation { get; init; } = ValidationOptions.Default;
    /// <summary>TRUSTED_FORMAT: whether accepted files also get a typed Parquet copy (docs/contracts.md "Trusted zone").</summary>
    public TrustedFormat TrustedFormat { get; init; } = TrustedFormat.Parquet;
    /// <summary>
    /// Objects larger than this are copied with parallel UploadPartCopy. One CopyObject is simpler and, for the
    /// datasets' sizes (77-165 MB), measured faster on moto (docs/benchmarks.md); parts pay off for multi-GiB objects
    /// and are required above 5 GiB.
    /// </summary>
    public long MultipartCopyThresholdBytes { get; init; } = 512 * MiB;
    /// <summary>Preferred part size; grown when the object would need more than 10,000 parts.</summary>
    public long MultipartCopyPartBytes { get; init; } = 64 * MiB;
    /// <summary>How many UploadPartCopy requests run at once.</summary>
    public int MultipartCopyConcurrency { get; init; } = 8;
    /// <summary>
    /// Objects this big or bigger are read as parallel byte-range GETs (docs/contracts.md "Configuration"): one S3
    /// stream is limited per connection, several arrive faster. The size S3 serves decides, not the event's.
    /// </summary>
    public long RangedReadThresholdBytes { get; init; } = 64 * MiB;
    /// <summary>The size of each range GET; memory held for a ranged read is about this times <see cref="RangedReadConcurrency"/>.</summary>
    public long RangedReadPartBytes { get; init; } = 8 * MiB;
    /// <summary>How many range GETs are in flight (or waiting to be validated) at once.</summary>
    public int RangedReadConcurrency { get; init; } = 4;
    /// <summary>Attempts per range before the read fails (not an environment variable).</summary>
    public int RangedReadAttempts { get; init; } = 4;
    /// <summary>The pause before a range's second attempt; it doubles each time (not an environment variable).</summary>
    public TimeSpan RangedReadBackoff { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Conservative server-side copy speed used to decide whether a copy can finish before the deadline.</summary>
    public long CopyBytesPerSecond { get; init; } = 50 * MiB;
    /// <summary>
    /// Conservative read-and-validate speed, used with <see cref="CopyBytesPerSecond"/> to refuse, before reading, an
    /// object that cannot be read and copied in the time left. Not an environment variable (docs/contracts.md "Configuration"): the
    /// 324-498 MiB/s measured at 128 MB here, scaled to a 128 MB Lambda's share of a vCPU (1/14) and halved (docs/reliability.md).
    /// </summary>
    public long ReadBytesPerSecond { get; init; } = 16 * MiB;
    /// <summary>
    /// Kept in reserve before Lambda's deadline: every S3 call is cancelled this long before it, leaving time to abort
    /// a multipart upload, release the claim, log the failure and report the error.
    /// </summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Time limit of each small request (HEAD, the PUT of a claim or report, a claim's DELETE).</summary>
    public TimeSpan SmallRequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long a run waits for a concurrent run on the same destination to finish before failing (to be retried).</summary>
    public TimeSpan ClaimWait { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>A waiting run's first pause before it looks at the claim and the report again; each pause doubles.</summary>
    public TimeSpan ClaimBackoffFirst { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>The longest pause between a waiting run's looks.</summary>
    public TimeSpan ClaimBackoffMax { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// A claim lives for the estimated time of its copy plus this grace (<see cref="TimeBudget.ClaimLease"/>): time for
    /// the small requests around the copy, and for a server-side copy the claimant started to settle in S3 after
    /// Lambda stopped the claimant.
    /// </summary>
    public TimeSpan ClaimGrace { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>LOG_LEVEL and Lambda's AWS_LAMBDA_LOG_LEVEL, resolved once (the stricter wins).</summary>
    public LogSettings Log { get; init; } = LogSettings.Default;
    /// <summary>AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL: an S3-compatible endpoint (moto, LocalStack) reached path-style.</summary>
    public Uri? S3Endpoint { get; init; }
    /// <summary>AWS_REGION or AWS_DEFAULT_REGION; null lets the SDK resolve it.</summary>
    public string? Region { get; init; }
    /// <summary>
    /// EVENT_BUS_NAME: the EventBridge bus each file's outcome is published on (docs/contracts.md "Outcome events");
    /// unset is <c>default</c>, set but empty (null here) publishes no events.
    /// </summary>
    public string? EventBusName { get; init; } = DefaultEventBus;
    public const string DefaultEventBus = "default";
    /// <summary>AWS_ENDPOINT_URL_EVENTS or AWS_ENDPOINT_URL: an EventBridge-compatible endpoint (moto, LocalStack).</summary>
    public Uri? EventsEndpoint { get; init; }

    public static IngestConfig FromEnvironment() => FromVariables(Environment.GetEnvironmentVariable);

    /// <summary>Reads the settings through <paramref name="get"/> (tests pass a dictionary). Empty counts as unset.</summary>
    public static IngestConfig FromVariables(Func<string, string?> get)
    {
        string? Read(string name) => get(name) is { Length: > 0 } value ? value : null;

        var prefixes = new LakePrefixes
        {
            Landing = Prefix(Read, "LANDING_PREFIX", LakePrefixes.Default.Landing),
            Raw = Prefix(Read, "RAW_PREFIX", LakePrefixes.Default.Raw),
            Quarantine = Prefix(Read, "QUARANTINE_PREFIX", LakePrefixes.Default.Quarantine),
            Manifest = Prefix(Read, "MANIFEST_PREFIX", LakePrefixes.Default.Manifest),
            Trusted = Prefix(Read, "TRUSTED_PREFIX", LakePrefixes.Default.Trusted),
        };
        CheckPrefixesDisjoint(prefixes);

        var destination = Read("DESTINATION_BUCKET");
        if (destination is not null && !IsBucketName(destination))
            throw Bad("DESTINATION_BUCKET", destination, "is not a valid S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)");

        var validation = new ValidationOptions
        {
            MaxLineBytes = (int)Integer(Read, "MAX_LINE_BYTES", ValidationOptions.DefaultMaxLineBytes, 1024, 256 * MiB),
            MaxReportedErrors = (int)Integer(Read, "MAX_REPORTED_ERRORS", ValidationOptions.DefaultMaxReportedErrors, 0, 100_000),
            Sha256 = Flag(Read, "INTEGRITY_SHA256"),
            Schemas = Contracts(Read(ContractFolder.EnvironmentVariable)),
        };

        var defaults = new IngestConfig();
        var (rangedPart, rangedConcurrency) = ReadRangedReadBuffers(Read, defaults);
        return new IngestConfig
        {
            Prefixes = prefixes,
            DestinationBucket = destination,
            Validation = validation,
            TrustedFormat = ReadTrustedFormat(Read),
            MultipartCopyThresholdBytes = Integer(Read, "MULTIPART_COPY_THRESHOLD_BYTES", defaults.MultipartCopyThresholdBytes, 0, MaxSingleCopyBytes),
            MultipartCopyPartBytes = Integer(Read, "MULTIPART_COPY_PART_BYTES", defaults.MultipartCopyPartBytes, MinPartBytes, MaxPartBytes),
            MultipartCopyConcurrency = (int)Integer(Read, "MULTIPART_COPY_CONCURRENCY", defaults.MultipartCopyConcurrency, 1, 64),
            RangedReadThresholdBytes = Integer(Read, "RANGED_READ_THRESHOLD_BYTES", defaults.RangedReadThresholdBytes, 1, long.MaxValue),
            RangedReadPartBytes = rangedPart,
            RangedReadConcurrency = rangedConcurrency,
            CopyBytesPerSecond = Integer(Read, "COPY_BYTES_PER_SECOND", defaults.CopyBytesPerSecond, 1 * MiB, long.MaxValue),
            DeadlineMargin = TimeSpan.FromMilliseconds(Integer(Read, "DEADLINE_MARGIN_MS", (long)defaults.DeadlineMargin.TotalMilliseconds, 0, 15 * 60 * 1000)),
            Log = ReadLogSettings(Read),
            S3Endpoint = Endpoint(Read, "AWS_ENDPOINT_URL_S3") ?? Endpoint(Read, "AWS_ENDPOINT_URL"),
            Region = Read("AWS_REGION") ?? Read("AWS_DEFAULT_REGION"),
            EventBusName = get("EVENT_BUS_NAME") is { } bus ? EventBus(bus) : DefaultEventBus,
            EventsEndpoint = Endpoint(Read, "AWS_ENDPOINT_URL_EVENTS") ?? Endpoint(Read, "AWS_ENDPOINT_URL"),
        };
    }

    /// <summary>
    /// RANGED_READ_PART_BYTES and RANGED_READ_CONCURRENCY: their product is the memory a ranged read holds, so it must
    /// leave room in the function's memory (at most <see cref="MaxRangedReadBufferBytes"/>).
    /// </summary>
    private static (long PartBytes, int Concurrency) ReadRangedReadBuffers(Func<string, string?> read, IngestConfig defaults)
    {
        var part = Integer(read, "RANGED_READ_PART_BYTES", defaults.RangedReadPartBytes, 1 * MiB, MaxRangedReadBufferBytes);
        var concurrency = (int)Integer(read, "RANGED_READ_CONCURRENCY", defaults.RangedReadConcurrency, 1, 64);
        if (part * concurrency > MaxRangedReadBufferBytes)
        {
            throw new ConfigurationException(
                $"RANGED_READ_PART_BYTES='{part}' times RANGED_READ_CONCURRENCY='{concurrency}' is {part * concurrency} bytes of buffers: "
                + $"it must be at most {MaxRangedReadBufferBytes}.");
        }
        return (part, concurrency);
    }

    private static TrustedFormat ReadTrustedFormat(Func<string, string?> read) => read("TRUSTED_FORMAT") switch
    {
        null => TrustedFormat.Parquet,
        var v when v.Equals("parquet", StringComparison.OrdinalIgnoreCase) => TrustedFormat.Parquet,
        var v when v.Equals("none", StringComparison.OrdinalIgnoreCase) => TrustedFormat.None,
        var v => throw Bad("TRUSTED_FORMAT", v, "must be parquet or none"),
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SchemaCatalog> LoadedContracts = new(StringComparer.Ordinal);

    /// <summary>
    /// The dataset contracts, read now so that a bad one fails start-up naming its file, field and problem
    /// (docs/contracts.md "Dataset contracts"): CONTRACTS_DIR, else contracts/ beside the executable.
    /// </summary>
    private static SchemaCatalog Contracts(string? directory)
    {
        directory = Path.GetFullPath(directory ?? Path.Combine(AppContext.BaseDirectory, ContractFolder.FolderName));
        try
        {
            // A folder is read once per process (a configuration read twice gets the same catalog); a bad one is not kept.
            return LoadedContracts.GetOrAdd(directory, SchemaCatalog.Load);
        }
        catch (ContractException e)
        {
            throw new ConfigurationException($"{ContractFolder.EnvironmentVariable}='{directory}': {e.Message}");
        }
    }

    private static string Prefix(Func<string, string?> read, string name, string fallback)
    {
        var value = read(name);
        if (value is null)
            return fallback;
        if (!value.EndsWith('/') || value.StartsWith('/') || value.Contains("//", StringComparison.Ordinal))
            throw Bad(name, value, "must be a key prefix like 'landing/': ending with '/', not starting with '/', without '//'");
        if (FormUrlKeyGuard(value) is { } problem)
            throw Bad(name, value, problem);
        return value;
    }

    private static string? FormUrlKeyGuard(string prefix) => Events.FormUrlKey.FindHostileContent(prefix.TrimEnd('/'));

    /// <summary>
    /// With one bucket, a copy written under the landing prefix would be ingested again (an endless loop), and a
    /// manifest under Raw would be read as data: no prefix may contain another.
    /// </summary>
    private static void CheckPrefixesDisjoint(LakePrefixes p)
    {
        (string Name, string Value)[] all =
            [("LANDING_PREFIX", p.Landing), ("RAW_PREFIX", p.Raw), ("QUARANTINE_PREFIX", p.Quarantine), ("MANIFEST_PREFIX", p.Manifest), ("TRUSTED_PREFIX", p.Trusted)];
        for (var i = 0; i < all.Length; i++)
        {
            for (var j = 0; j < all.Length; j++)
            {
                if (i != j && all[j].Value.StartsWith(all[i].Value, StringComparison.Ordinal))
                {
                    throw new ConfigurationException(
                        $"{all[j].Name}='{all[j].Value}' lies inside {all[i].Name}='{all[i].Value}': the lake prefixes must not overlap.");
                }
            }
        }
    }

    private static long Integer(Func<string, string?> read, string name, long fallback, long min, long max)
    {
        var value = read(name);
        if (value is null)
            return fallback;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            throw Bad(name, value, "is not a whole number of the form 12345");
        if (number < min || number > max)
            throw Bad(name, value, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
        return number;
    }

    /// <summary>true or false (any case); unset is false.</summary>
    private static bool Flag(Func<string, string?> read, string name)
    {
        var value = read(name);
        if (value is null)
            return false;
        return bool.TryParse(value, out var flag) ? flag : throw Bad(name, value, "must be true or false");
    }

    /// <summary>The stricter of LOG_LEVEL and Lambda's AWS_LAMBDA_LOG_LEVEL (Observability/LogSettings.cs).</summary>
    private static LogSettings ReadLogSettings(Func<string, string?> read) =>
        LogSettings.TryResolve(read(LogSettings.LogLevelVariable), read(LogSettings.LambdaLogLevelVariable), out var settings, out var problem)
            ? settings
            : throw new ConfigurationException($"{problem}.");

    /// <summary>A bus name or ARN (letters, digits and <c>/._-:</c>); empty turns the events off.</summary>
    private static string? EventBus(string value) =>
        value.Length == 0 ? null
        : value.Length <= 1600 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or ':') ? value
        : throw Bad("EVENT_BUS_NAME", value, "is not an EventBridge bus name or ARN (letters, digits and /._-:), or empty for no events");

    private static Uri? Endpoint(Func<string, string?> read, string name)
    {
        var value = read(name);
        if (value is null)
            return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw Bad(name, value, "is not an absolute http:// or https:// URL");
        return uri;
    }

    internal static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);

    private static ConfigurationException Bad(string name, string value, string problem) =>
        new($"{name}='{value}' {problem}.");
}

/// <summary>What the trusted zone gets for an accepted file.</summary>
public enum TrustedFormat
{
    /// <summary>A typed Parquet copy, written in the same read.</summary>
    Parquet,
    /// <summary>Nothing: the lake stops at Raw.</summary>
    None,
}

/// <summary>A setting is missing or malformed; the message names the environment variable.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
