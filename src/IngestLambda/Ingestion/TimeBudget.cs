namespace IngestLambda.Ingestion;

/// <summary>
/// Time arithmetic against the invocation's deadline: whether a copy can still finish, how long a claim lives and how
/// long a run waits for another. Work refused before it starts leaves nothing behind, so the retry (with a fresh
/// deadline) starts clean.
/// </summary>
internal sealed class TimeBudget(IngestConfig config)
{
    /// <summary>The object's size at a conservative copy speed.</summary>
    public TimeSpan CopyTime(long size) => TimeSpan.FromSeconds((double)size / config.CopyBytesPerSecond);

    /// <summary>Throws <see cref="DeadlineException"/> when the copy would probably outlive the invocation.</summary>
    public void EnsureTimeForCopy(long size, TimeSpan remaining, AdmittedObject source)
    {
        var needed = config.DeadlineMargin + CopyTime(size);
        if (needed > remaining)
        {
            throw new DeadlineException(
                $"Not starting the copy of s3://{source.Bucket}/{source.Key} ({size} bytes): it needs about {needed.TotalSeconds:F1} s "
                + $"(DEADLINE_MARGIN_MS plus size / COPY_BYTES_PER_SECOND) and {remaining.TotalSeconds:F1} s remain; the retry will start clean.");
        }
    }

    /// <summary>How long a claim outlives a claimant that dies holding it: its whole remaining time plus <see cref="IngestConfig.ClaimGrace"/>.</summary>
    public TimeSpan ClaimLease(long size, TimeSpan remaining) => remaining + config.ClaimGrace;

    /// <summary>How long a run waits for another claim holder: <see cref="IngestConfig.ClaimWait"/>, within its own time.</summary>
    public TimeSpan ClaimWait(TimeSpan remaining)
    {
        var wait = remaining - config.DeadlineMargin < config.ClaimWait ? remaining - config.DeadlineMargin : config.ClaimWait;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
