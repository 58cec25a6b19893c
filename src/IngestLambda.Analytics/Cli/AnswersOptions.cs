using System.Globalization;
using IngestLambda.Analytics.Lake;

namespace IngestLambda.Analytics.Cli;

/// <summary>`answers --lake FOLDER|s3://BUCKET[/PREFIX] [--zone trusted|raw] [--date yyyy-MM-dd | --all] [--json] [--report FILE.html] [--no-cache]`.</summary>
/// <param name="Zone">"trusted" or "raw"; null: trusted where the lake has it, else raw.</param>
internal sealed record AnswersOptions(string Lake, SnapshotChoice Snapshot, bool Json, string? ReportPath, bool NoCache = false, string? Zone = null)
{
    public const string Usage =
        "usage: answers --lake FOLDER|s3://BUCKET[/PREFIX] [--zone trusted|raw] [--date yyyy-MM-dd | --all] [--json] [--report FILE.html] [--no-cache]\n"
        + "  --lake    a folder laid out like the bucket (Raw/Local/CSV/..., Trusted/Local/Parquet/...) or an s3:// bucket and optional prefix\n"
        + "  --zone    read the typed Parquet copies (trusted) or the CSV copies (raw); the answers are the same\n"
        + "            (default: trusted where the lake has the snapshot there, else raw)\n"
        + "  --date    read that day's folder of every dataset (default: each dataset's newest day)\n"
        + "  --all     read every day; where an id appears on several days, the newest day wins\n"
        + "  --json    print one JSON document instead of tables\n"
        + "  --report  also write a self-contained HTML page with the snapshot, one chart per question and the data quality\n"
        + "            (each dataset's latest profile and drift, read from the manifests under MANIFEST_PREFIX, default manifests/)\n"
        + "  --no-cache  for s3://: download into a temporary folder, deleted at the end, instead of the cache\n"
        + "environment: RAW_PREFIX (default Raw/Local/CSV/), TRUSTED_PREFIX (default Trusted/Local/Parquet/); for s3://, the cache of downloaded objects: ANSWERS_CACHE_DIR\n"
        + "  (default ~/.cache/ingestlambda/answers) and ANSWERS_CACHE_MAX_MB (default 512; the least recently used go first);\n"
        + "  and the AWS SDK's settings (AWS_REGION, credentials, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL).\n"
        + "exit: 0 answered; 1 no data, or a file that cannot be read; 2 a usage or access error (a missing folder or bucket).";

    /// <summary>Parses the arguments after `answers`; throws <see cref="UsageException"/> with the reason.</summary>
    public static AnswersOptions Parse(IReadOnlyList<string> args)
    {
        string? lake = null, report = null, zone = null;
        DateOnly? date = null;
        bool all = false, json = false, noCache = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--lake":
                    lake = Value(args, ref i);
                    break;
                case "--date":
                    var text = Value(args, ref i);
                    if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                        throw new UsageException($"--date takes a day as yyyy-MM-dd, not '{text}'.");
                    date = day;
                    break;
                case "--all":
                    all = true;
                    break;
                case "--json":
                    json = true;
                    break;
                case "--no-cache":
                    noCache = true;
                    break;
                case "--zone":
                    zone = Value(args, ref i);
                    if (zone is not ("trusted" or "raw"))
                        throw new UsageException($"--zone takes trusted or raw, not '{zone}'.");
                    break;
                case "--report":
                    report = Value(args, ref i);
                    break;
                default:
                    throw new UsageException($"unknown argument '{args[i]}'.");
            }
        }
        if (string.IsNullOrEmpty(lake))
            throw new UsageException("--lake is required.");
        if (date is not null && all)
            throw new UsageException("--date and --all exclude each other.");
        SnapshotChoice snapshot = all ? new SnapshotChoice.All() : date is { } d ? new SnapshotChoice.Day(d) : new SnapshotChoice.Newest();
        return new AnswersOptions(lake, snapshot, json, report, noCache, zone);
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new UsageException($"{args[i]} needs a value.");
        return args[++i];
    }
}
