using System.IO.Compression;
using IngestLambda.Core.Contracts.Inference;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Validation;

namespace IngestLambda.Host.Cli;

/// <summary>
/// <c>bootstrap contract infer FILE [--delimiter C] [--name N]</c>: drafts a dataset contract from a sample in one
/// streamed pass (docs/contracts.md "Dataset contracts") and prints it as JSON to review and commit; a summary goes to stderr.
/// Exit 0, or 2 on a usage or I/O error.
/// </summary>
internal static class ContractInferCommand
{
    public const string Usage = "Usage: bootstrap contract infer FILE [--delimiter C] [--name N]";

    /// <summary>Runs with the arguments <see cref="CommandDeclarations.ContractInfer"/> parsed.</summary>
    public static async Task<int> RunAsync(string? file, string? delimiterText, string? name, TextWriter stdout, TextWriter stderr)
    {
        char? delimiter = null;
        if (delimiterText is not null)
        {
            delimiter = delimiterText == "\\t" ? '\t' : delimiterText.Length == 1 ? delimiterText[0] : null;
            if (delimiter is null)
                return await Fail(stderr, $"--delimiter takes one character (or \\t), not '{delimiterText}'.").ConfigureAwait(false);
        }
        if (file is null)
            return await Fail(stderr, "no sample file given.").ConfigureAwait(false);
        name ??= NameFrom(file);

        ContractInference.Draft draft;
        try
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            // The name says what a file is (docs/contracts.md "Dataset contracts"): a .csv.gz sample is read through decompression.
            await using var content = ContentEncodings.FromName(file) == ContentEncoding.Gzip ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream;
            draft = await ContractInference.InferAsync(content, name, delimiter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return await Fail(stderr, $"cannot read '{file}': {e.Message}", showUsage: false).ConfigureAwait(false);
        }
        await stdout.WriteLineAsync(draft.Json).ConfigureAwait(false);
        await stderr.WriteLineAsync($"contract infer: {draft.Rows:N0} rows read, {draft.Dialect.Describe()}"
            + (draft.SkippedRows > 0 ? $"; {draft.SkippedRows:N0} rows with another field count were left out" : "")
            + ". A sample cannot show every rule: review the draft before committing it.").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>A dataset name from a file name: <c>ratings-2026.csv</c> gives <c>Ratings-2026</c>.</summary>
    private static string NameFrom(string file)
    {
        var stem = Path.GetFileName(file).Split('.')[0];
        var name = new string([.. stem.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')]);
        return name.Length == 0 || !char.IsAsciiLetter(name[0]) ? "Dataset" : char.ToUpperInvariant(name[0]) + name[1..];
    }

    private static async Task<int> Fail(TextWriter stderr, string problem, bool showUsage = true)
    {
        await stderr.WriteLineAsync($"contract infer: {problem}{(showUsage ? "\n" + Usage : "")}").ConfigureAwait(false);
        return ExitCodes.Usage;
    }
}
