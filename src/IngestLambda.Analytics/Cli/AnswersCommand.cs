using System.Text.Json;
using IngestLambda.Analytics.Lake;
using IngestLambda.Analytics.Output;
using IngestLambda.Analytics.Query;
using IngestLambda.Core.Quality;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Analytics.Cli;

/// <summary>Lists the raw zone, picks the snapshot, loads it into DuckDB, answers, prints (and writes the report).</summary>
internal static class AnswersCommand
{
    public const int Answered = 0;
    public const int NoData = 1;
    public const int UsageOrAccess = 2;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr,
        Func<string, string?> environment, bool interactive, CancellationToken cancellationToken = default)
    {
        AnswersOptions options;
        DataZone raw, trusted;
        string manifestPrefix;
        AnswersCache cache;
        SchemaCatalog catalog;
        try
        {
            options = AnswersOptions.Parse(args);
            raw = DataZone.Raw(Prefix(environment, "RAW_PREFIX", "Raw/Local/CSV/"));
            trusted = DataZone.Trusted(Prefix(environment, "TRUSTED_PREFIX", "Trusted/Local/Parquet/"));
            manifestPrefix = ManifestPrefix(environment);
            cache = AnswersCache.FromEnvironment(environment);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"answers: {e.Message}\n{AnswersOptions.Usage}").ConfigureAwait(false);
            return UsageOrAccess;
        }
        try
        {
            // The datasets are the function's: CONTRACTS_DIR, else the contracts/ shipped beside this executable.
            catalog = environment(ContractFolder.EnvironmentVariable) is { Length: > 0 } contracts ? SchemaCatalog.Load(contracts) : SchemaCatalog.BuiltIn;
        }
        catch (ContractException e)
        {
            await stderr.WriteLineAsync($"answers: {e.Message}").ConfigureAwait(false);
            return UsageOrAccess;
        }

        // --no-cache: this run's downloads go to a folder of their own, deleted at the end.
        var temporary = options.NoCache ? Directory.CreateTempSubdirectory("answers-no-cache-").FullName : null;
        if (temporary is not null)
            cache = new AnswersCache(temporary, long.MaxValue, TimeProvider.System);
        try
        {
            var lake = OpenLake(options.Lake, manifestPrefix, environment, cache, stderr, interactive);
            var datasets = catalog.Datasets.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            var (zone, snapshots) = await ChooseZoneAsync(lake, options, raw, trusted, datasets, cancellationToken).ConfigureAwait(false);
            var local = await lake.MaterializeAsync(snapshots.SelectMany(s => s.Files).ToList(), cancellationToken).ConfigureAwait(false);
            var byName = local.ToDictionary(file => file.Name, StringComparer.Ordinal);
            snapshots = snapshots.Select(s => s with { Files = s.Files.Select(f => byName[f.Name]).ToList() }).ToList();

            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var database = new LakeDatabase();
            var summaries = database.Load(snapshots, catalog);
            var loaded = clock.Elapsed;
            var answers = database.Answer(summaries);
            // ANSWERS_TIMINGS=1: where the time goes (docs/benchmarks.md), on stderr.
            if (environment("ANSWERS_TIMINGS") == "1")
                await stderr.WriteLineAsync($"timings: load {loaded.TotalSeconds:F2} s, questions {(clock.Elapsed - loaded).TotalSeconds:F2} s").ConfigureAwait(false);
            if (options.Json)
                await stdout.WriteLineAsync(JsonSerializer.Serialize(answers, JsonOptions)).ConfigureAwait(false);
            else
                TextAnswers.Write(answers, lake.LocationOf(zone), stdout);
            if (options.ReportPath is { } reportPath)
            {
                const int samplePerDataset = 2500;
                var rules = DriftRulesBesideExecutable();
                var quality = await DataQualityReader.ReadAsync(lake, datasets, rules, cancellationToken).ConfigureAwait(false);
                var html = HtmlReport.Render(answers, database.SampleTitles(samplePerDataset), samplePerDataset, lake.LocationOf(zone), quality, rules, lake.ManifestLocation);
                await File.WriteAllTextAsync(reportPath, html, cancellationToken).ConfigureAwait(false);
                await stderr.WriteLineAsync($"report written to {reportPath}").ConfigureAwait(false);
            }
            return Answered;
        }
        catch (LakeDataException e)
        {
            await stderr.WriteLineAsync($"answers: {e.Message}").ConfigureAwait(false);
            return NoData;
        }
        catch (LakeAccessException e)
        {
            await stderr.WriteLineAsync($"answers: {e.Message}").ConfigureAwait(false);
            return UsageOrAccess;
        }
        finally
        {
            if (temporary is not null)
                Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>
    /// The zone asked for, or by default Trusted when it holds the chosen snapshot and Raw otherwise (days filed before
    /// the trusted zone existed, TRUSTED_FORMAT=none); the snapshot read from it. Both zones give identical answers.
    /// </summary>
    private static async Task<(DataZone Zone, IReadOnlyList<DatasetSnapshot> Snapshots)> ChooseZoneAsync(ILake lake, AnswersOptions options,
        DataZone raw, DataZone trusted, IReadOnlySet<string> datasets, CancellationToken cancellationToken)
    {
        if (options.Zone is null)
        {
            var typed = DatasetSnapshot.Select(await lake.ListAsync(trusted, datasets, cancellationToken).ConfigureAwait(false), options.Snapshot);
            if (typed.Count > 0)
                return (trusted, typed);
        }
        var zone = options.Zone == "trusted" ? trusted : raw;
        var found = await lake.ListAsync(zone, datasets, cancellationToken).ConfigureAwait(false);
        var files = zone == raw ? ".csv or .csv.gz" : ".parquet";
        if (found.Count == 0)
            throw new LakeDataException($"The lake holds no {zone.Name} data: no {files} under {lake.LocationOf(zone)}<Dataset>/<yyyy>/<MM>/<dd>/ for {string.Join(", ", datasets.Order(StringComparer.Ordinal))}.");
        var snapshots = DatasetSnapshot.Select(found, options.Snapshot);
        if (snapshots.Count == 0)
            throw new LakeDataException($"The lake holds no {zone.Name} data for {options.Snapshot.Describe()} under {lake.LocationOf(zone)} (days with data: {string.Join(", ", found.Select(f => f.Date).Distinct().Order().TakeLast(10))}).");
        return (zone, snapshots);
    }

    /// <summary>
    /// bootstrap quality's thresholds: contracts/quality/drift-rules.json beside answers (CONTRACTS_DIR's, when set), as
    /// the function ships it; the built-in defaults where there is none.
    /// </summary>
    private static DriftRules DriftRulesBesideExecutable()
    {
        var path = DriftRules.DefaultPath();
        try
        {
            return File.Exists(path) ? DriftRules.Parse(File.ReadAllText(path)) : DriftRules.Default;
        }
        catch (InvalidDataException e)
        {
            throw new LakeDataException($"{path}: {e.Message}");
        }
    }


    /// <summary>Where the report's "Data quality" section reads the manifests (the function's MANIFEST_PREFIX).</summary>
    private static string ManifestPrefix(Func<string, string?> environment) => Prefix(environment, "MANIFEST_PREFIX", "manifests/");

    private static string Prefix(Func<string, string?> environment, string variable, string fallback)
    {
        var prefix = environment(variable);
        if (string.IsNullOrEmpty(prefix))
            return fallback;
        if (!prefix.EndsWith('/') || prefix.StartsWith('/'))
            throw new UsageException($"{variable} must end with '/' and not start with one, not '{prefix}'.");
        return prefix;
    }

    private static ILake OpenLake(string location, string manifestPrefix, Func<string, string?> environment, AnswersCache cache, TextWriter stderr, bool interactive)
    {
        if (!location.StartsWith("s3://", StringComparison.Ordinal))
            return new FolderLake(location, manifestPrefix);
        var path = location["s3://".Length..];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        var prefix = slash < 0 ? "" : path[(slash + 1)..];
        if (bucket.Length == 0)
            throw new LakeAccessException($"'{location}' names no bucket (s3://BUCKET[/PREFIX]).");
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
            prefix += "/";
        return new S3Lake(S3Lake.CreateClient(environment), bucket, prefix, cache, stderr, interactive, manifestPrefix);
    }
}
