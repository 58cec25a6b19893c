using ConsoleAppFramework;

namespace IngestLambda.Host.Cli;

/// <summary>
/// Every command and option of <c>bootstrap</c>, declared once: ConsoleAppFramework generates the parser and each
/// command's <c>--help</c> from these signatures and doc comments. Options left out are null here; the commands check
/// what is required and the ranges themselves, with their own messages (docs/contracts.md "Command line").
/// </summary>
internal sealed class CommandDeclarations
{
    private readonly CommandRun run = CommandLine.Run;

    /// <summary>validate a local CSV against the dataset contracts (exit 0 accepted, 1 rejected, 2 error)</summary>
    /// <param name="file">the file: .csv, or .csv.gz validated through decompression</param>
    /// <param name="json">print the report JSON instead of the summary</param>
    /// <param name="contracts">DIR, the folder of dataset contracts (default: CONTRACTS_DIR, else contracts/ beside bootstrap)</param>
    [Command("validate")]
    public Task<int> Validate([Argument] string? file = null, bool json = false, string? contracts = null) =>
        run.Returned(ValidateCommand.RunAsync(file, json, contracts, run.Stdout, run.Stderr));

    /// <summary>validate every dataset contract in a folder; one line per problem (exit 0 valid, 2 otherwise)</summary>
    /// <param name="directory">DIR, the folder of contract files (*.json)</param>
    [Command("contract check")]
    public Task<int> ContractCheck([Argument] string? directory = null) =>
        run.Returned(ContractCommand.CheckAsync(directory, run.Stdout, run.Stderr));

    /// <summary>draft a dataset contract from a sample CSV in one pass, printed as JSON to review (exit 0, 2 error)</summary>
    /// <param name="file">the sample: .csv, or .csv.gz read through decompression</param>
    /// <param name="delimiter">C, the delimiter (one character, or \t); guessed from the header by default</param>
    /// <param name="name">N, the dataset's name (default: from the file name)</param>
    [Command("contract infer")]
    public Task<int> ContractInfer([Argument] string? file = null, string? delimiter = null, string? name = null) =>
        run.Returned(ContractInferCommand.RunAsync(file, delimiter, name, run.Stdout, run.Stderr));

    /// <summary>run the handler once on an event against S3 and print the result JSON (exit 0 succeeded, 1 failed, 2 error)</summary>
    /// <param name="event">FILE|-, the S3 event JSON, - for standard input; required</param>
    /// <param name="timeout">SECONDS, the handler's time budget (Lambda's maximum by default)</param>
    [Command("invoke")]
    public Task<int> Invoke(string? @event = null, int timeout = InvokeCommand.DefaultTimeoutSeconds) =>
        run.Returned(InvokeCommand.RunAsync(@event, timeout, run.Stdout, run.Stderr, run.Stdin));

    /// <summary>file every object already under the prefix (LANDING_PREFIX by default), or build Trusted for files already in Raw</summary>
    /// <param name="location">s3://BUCKET[/PREFIX], PREFIX at or below LANDING_PREFIX (RAW_PREFIX with --trusted-only)</param>
    /// <param name="concurrency">N, objects filed at once, 1 to 64</param>
    /// <param name="dryRun">list what would be filed, file nothing</param>
    /// <param name="reprocessRejected">file again the objects rejected before</param>
    /// <param name="trustedOnly">write the trusted Parquet of each accepted copy under RAW_PREFIX that has none, from its Raw bytes, without copying Raw again</param>
    [Command("backfill")]
    public Task<int> Backfill([Argument] string? location = null, int concurrency = BackfillCommand.DefaultConcurrency, bool dryRun = false, bool reprocessRejected = false,
        bool trustedOnly = false) =>
        run.Returned(BackfillCommand.RunAsync(location, concurrency, dryRun, reprocessRejected, trustedOnly, run.Stdout, run.Stderr));

    /// <summary>re-run the events waiting in the failure queue; delete each one finished</summary>
    /// <param name="queueUrl">URL, the failure queue's absolute URL; required</param>
    /// <param name="max">N, at most this many messages (at least 1; default all)</param>
    /// <param name="dryRun">list the waiting events, run and delete nothing</param>
    [Command("replay")]
    public Task<int> Replay(string? queueUrl = null, int? max = null, bool dryRun = false) =>
        run.Returned(ReplayCommand.RunAsync(queueUrl, max, dryRun, run.Stdout, run.Stderr));

    /// <summary>compare each dataset's newest (or that day's) profile with the previous snapshot's, from the manifests alone (exit 0 no drift, 1 drift, 2 error or no previous snapshot)</summary>
    /// <param name="location">s3://BUCKET, the lake whose manifests are read</param>
    /// <param name="dataset">D, only this dataset</param>
    /// <param name="date">yyyy-MM-dd, the day to compare with the previous one (default: the newest)</param>
    /// <param name="rules">FILE, drift thresholds (default: contracts/quality/drift-rules.json)</param>
    /// <param name="json">print one JSON document instead of the table</param>
    [Command("quality")]
    public Task<int> Quality([Argument] string? location = null, string? dataset = null, string? date = null, string? rules = null, bool json = false) =>
        run.Returned(QualityCommand.RunAsync(location, dataset, date, rules, json, run.Stdout, run.Stderr));
}
