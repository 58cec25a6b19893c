using System.Globalization;
using Amazon.S3;
using IngestLambda.Configuration;
using IngestLambda.Core.Quality;
using IngestLambda.Host.Operations;
using IngestLambda.Lake;

namespace IngestLambda.Host.Cli;

/// <summary>
/// <c>bootstrap quality s3://BUCKET [--dataset D] [--date yyyy-MM-dd] [--rules FILE] [--json]</c> (docs/contracts.md
/// "Drift"): exit 0 when nothing moved beyond the thresholds, 1 when something did, 2 on a usage, configuration or
/// access error, or when a dataset has no previous snapshot to compare with (said in words).
/// </summary>
internal static class QualityCommand
{
    internal const string Usage = "usage: bootstrap quality s3://BUCKET [--dataset D] [--date yyyy-MM-dd] [--rules FILE] [--json]";

    /// <summary>Runs with the arguments <see cref="CommandDeclarations.Quality"/> parsed.</summary>
    public static async Task<int> RunAsync(string? location, string? dataset, string? date, string? rulesFile, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (location is null || !location.StartsWith("s3://", StringComparison.Ordinal) || location.Length == "s3://".Length
            || location.AsSpan("s3://".Length).TrimEnd('/').Contains('/'))
            return await UsageAsync(stderr, location is null ? "no s3://BUCKET given" : $"'{location}' is not s3://BUCKET").ConfigureAwait(false);
        DateOnly? day = null;
        if (date is not null)
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                return await UsageAsync(stderr, $"--date takes yyyy-MM-dd, not '{date}'").ConfigureAwait(false);
            day = parsed;
        }
        if (dataset is not null && (dataset.Length == 0 || dataset.Contains('/', StringComparison.Ordinal)))
            return await UsageAsync(stderr, $"--dataset takes a dataset name, not '{dataset}'").ConfigureAwait(false);

        var (rules, rulesProblem) = ReadRules(rulesFile);
        if (rules is null)
        {
            await stderr.WriteLineAsync($"quality: {rulesProblem}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        IngestConfig config;
        try
        {
            config = IngestConfig.FromEnvironment();
        }
        catch (ConfigurationException e)
        {
            await stderr.WriteLineAsync($"quality: configuration error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var bucket = location["s3://".Length..].TrimEnd('/');
        using var s3 = S3ClientFactory.Create(config);
        var request = new QualityRequest(bucket, config.Prefixes.Manifest, dataset, day, rules);
        return await RunWithAsync(s3, request, json, stdout, stderr, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The check against <paramref name="s3"/> and its output and exit code (tests pass their own client).</summary>
    internal static async Task<int> RunWithAsync(IAmazonS3 s3, QualityRequest request, bool json, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        QualityResult result;
        try
        {
            result = await new QualityCheck(s3).RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (CannotStartException e)
        {
            await stderr.WriteLineAsync($"quality: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        foreach (var line in QualityOutput.Problems(request.Bucket, result))
            await stderr.WriteLineAsync(line).ConfigureAwait(false);
        await stdout.WriteAsync(json ? QualityOutput.Json(result) + "\n" : QualityOutput.Table(result)).ConfigureAwait(false);
        // Drift found is the answer that matters most; a dataset not compared makes an otherwise clean run exit 2.
        return result.Datasets.Any(d => d.Drifts.Count > 0) ? ExitCodes.Failure
            : result.Datasets.Any(d => d.Problem is not null) ? ExitCodes.Usage
            : ExitCodes.Success;
    }

    /// <summary>The rules of <c>--rules FILE</c>, else the shipped file, else the built-in defaults.</summary>
    private static (DriftRules? Rules, string? Problem) ReadRules(string? rulesFile)
    {
        var path = rulesFile ?? DriftRules.DefaultPath();
        if (rulesFile is null && !File.Exists(path))
            return (DriftRules.Default, null);
        try
        {
            return (DriftRules.Parse(File.ReadAllText(path)), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return (null, $"rules file {path}: {e.Message}");
        }
    }

    private static async Task<int> UsageAsync(TextWriter stderr, string problem)
    {
        await stderr.WriteLineAsync($"quality: {problem}.\n{Usage}").ConfigureAwait(false);
        return ExitCodes.Usage;
    }
}
