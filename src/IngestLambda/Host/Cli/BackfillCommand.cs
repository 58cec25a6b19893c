using IngestLambda.Configuration;
using IngestLambda.Host.Operations;

namespace IngestLambda.Host.Cli;

/// <summary>
/// <c>bootstrap backfill s3://BUCKET/PREFIX [--concurrency N] [--dry-run] [--reprocess-rejected] [--trusted-only]</c>:
/// files every object already under the prefix (the landing prefix by default); with <c>--trusted-only</c>, builds
/// the trusted Parquet of every accepted copy under the prefix (the Raw prefix by default). Exit 0, 1 if any object
/// failed, 2 on a usage, configuration or access error (a bucket that is missing or cannot be listed: nothing was processed).
/// </summary>
internal static class BackfillCommand
{
    internal const string Usage = "usage: bootstrap backfill s3://BUCKET[/PREFIX] [--concurrency N] [--dry-run] [--reprocess-rejected] [--trusted-only]";
    internal const int DefaultConcurrency = 4;
    private const int MaxConcurrency = 64;

    /// <summary>Runs with the arguments <see cref="CommandDeclarations.Backfill"/> parsed.</summary>
    public static async Task<int> RunAsync(string? location, int concurrency, bool dryRun, bool reprocess, bool trustedOnly, TextWriter stdout, TextWriter stderr)
    {
        if (trustedOnly && reprocess)
        {
            await stderr.WriteLineAsync("backfill: --trusted-only builds Trusted for files already accepted into Raw, --reprocess-rejected files rejected ones again: "
                + $"run them one after the other (--reprocess-rejected fills Trusted too).\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        if (concurrency is < 1 or > MaxConcurrency)
        {
            await stderr.WriteLineAsync($"backfill: --concurrency takes 1 to {MaxConcurrency}.\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        if (location is null)
        {
            await stderr.WriteLineAsync($"backfill: no s3://BUCKET/PREFIX given.\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        IngestConfig config;
        try
        {
            config = IngestConfig.FromEnvironment();
        }
        catch (ConfigurationException e)
        {
            await stderr.WriteLineAsync($"backfill: configuration error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        // --trusted-only reads the copies in Raw, whatever became of the landing objects (docs/contracts.md "Trusted zone").
        var (under, prefix) = trustedOnly ? ("RAW_PREFIX", config.Prefixes.Raw) : ("LANDING_PREFIX", config.Prefixes.Landing);
        if (ParseLocation(location, prefix) is not { } target)
        {
            await stderr.WriteLineAsync($"backfill: '{location}' is not s3://BUCKET or s3://BUCKET/PREFIX with PREFIX at or below {under} '{prefix}'"
                + $"{(trustedOnly ? " (--trusted-only reads the copies in Raw)" : "")}.\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var request = new BackfillRequest(target.Bucket, target.Prefix, concurrency, dryRun, reprocess, trustedOnly);
        return await OperatorRun.RunAsync("backfill", stdout, stderr, $"no objects under s3://{target.Bucket}/{target.Prefix}; nothing to do",
            (function, output, cancel) => new Backfill(function, function.S3, output).RunAsync(request, cancel), config).ConfigureAwait(false);
    }

    /// <summary>The bucket and the prefix to list: one at or below the base prefix (landing, or Raw); a shorter one means the base prefix.</summary>
    internal static (string Bucket, string Prefix)? ParseLocation(string location, string landingPrefix)
    {
        if (!location.StartsWith("s3://", StringComparison.Ordinal))
            return null;
        var rest = location["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Length == 0)
            return null;
        if (prefix.StartsWith(landingPrefix, StringComparison.Ordinal))
            return (bucket, prefix);
        return landingPrefix.StartsWith(prefix, StringComparison.Ordinal) ? (bucket, landingPrefix) : null;
    }
}
