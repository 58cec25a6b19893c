using System.Text.Json;
using IngestLambda.Analytics.Lake;
using IngestLambda.Analytics.Output;
using IngestLambda.Analytics.Query;
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
        string rawPrefix;
        AnswersCache cache;
        SchemaCatalog catalog;
        try
        {
            options = AnswersOptions.Parse(args);
            rawPrefix = RawPrefix(environment);
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
            var lake = OpenLake(options.Lake, rawPrefix, environment, cache, stderr, interactive);
            var datasets = catalog.Datasets.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            var found = await lake.ListAsync(datasets, cancellationToken).ConfigureAwait(false);
            if (found.Count == 0)
                throw new LakeDataException($"The lake holds no raw data: no .csv or .csv.gz under {lake.RawLocation}<Dataset>/<yyyy>/<MM>/<dd>/ for {string.Join(", ", datasets.Order(StringComparer.Ordinal))}.");
            var snapshots = DatasetSnapshot.Select(found, options.Snapshot);
            if (snapshots.Count == 0)
                throw new LakeDataException($"The lake holds no raw data for {options.Snapshot.Describe()} under {lake.RawLocation} (days with data: {string.Join(", ", found.Select(f => f.Date).Distinct().Order().TakeLast(10))}).");
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
                TextAnswers.Write(answers, lake.RawLocation, stdout);
            if (options.ReportPath is { } reportPath)
            {
                const int samplePerDataset = 2500;
                var html = HtmlReport.Render(answers, database.SampleTitles(samplePerDataset), samplePerDataset, lake.RawLocation);
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

    private static string RawPrefix(Func<string, string?> environment)
    {
        var prefix = environment("RAW_PREFIX");
        if (string.IsNullOrEmpty(prefix))
            return "Raw/Local/CSV/";
        if (!prefix.EndsWith('/') || prefix.StartsWith('/'))
            throw new UsageException($"RAW_PREFIX must end with '/' and not start with one, not '{prefix}'.");
        return prefix;
    }

    private static ILake OpenLake(string location, string rawPrefix, Func<string, string?> environment, AnswersCache cache, TextWriter stderr, bool interactive)
    {
        if (!location.StartsWith("s3://", StringComparison.Ordinal))
            return new FolderLake(location, rawPrefix);
        var path = location["s3://".Length..];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        var prefix = slash < 0 ? "" : path[(slash + 1)..];
        if (bucket.Length == 0)
            throw new LakeAccessException($"'{location}' names no bucket (s3://BUCKET[/PREFIX]).");
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
            prefix += "/";
        return new S3Lake(S3Lake.CreateClient(environment), bucket, prefix, rawPrefix, cache, stderr, interactive);
    }
}
