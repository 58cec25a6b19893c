namespace IngestLambda.Pipeline;

/// <summary>
/// How an operator's command asks the pipeline to treat a record; the function itself always runs with
/// <see cref="Default"/>.
/// </summary>
/// <param name="ReprocessRejected">
/// Validate again a version an earlier run rejected (after a schema fix): accepted now → copied to Raw with a manifest
/// that names the rejection; still rejected → nothing written (<c>bootstrap backfill --reprocess-rejected</c>).
/// </param>
internal sealed record RunOptions(bool ReprocessRejected = false)
{
    public static RunOptions Default { get; } = new();
}
