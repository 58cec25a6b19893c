using IngestLambda.Configuration;

namespace IngestLambda.Lake;

/// <summary>
/// Time arithmetic against the invocation's deadline (docs/reliability.md, "Deadline and claims"): when the run stops,
/// whether an object can still be read and copied, how long a claim lives and how long a run waits for another. Work
/// refused before it starts leaves nothing behind, so the retry (with a fresh deadline) starts clean.
/// </summary>
internal sealed class TimeBudget(IngestConfig config)
{
    /// <summary>From now until every S3 call of the invocation is cancelled: the deadline minus DEADLINE_MARGIN_MS.</summary>
    public TimeSpan UntilStop(TimeSpan remaining) => remaining > config.DeadlineMargin ? remaining - config.DeadlineMargin : TimeSpan.Zero;

    /// <summary>
    /// What one clean-up request (abort the multipart upload, release the claim) may take after the stop: a third of
    /// DEADLINE_MARGIN_MS each, so both, the log line and the error report fit in the margin.
    /// </summary>
    public static TimeSpan CleanupTimeout(IngestConfig config) =>
        TimeSpan.FromMilliseconds(Math.Clamp(config.DeadlineMargin.TotalMilliseconds / 3, 200, 10_000));

    /// <summary>The object's size at a conservative copy speed (COPY_BYTES_PER_SECOND).</summary>
    public TimeSpan CopyTime(long size) => TimeSpan.FromSeconds((double)size / config.CopyBytesPerSecond);

    /// <summary>The object's size at a conservative read-and-validate speed (<see cref="IngestConfig.ReadBytesPerSecond"/>).</summary>
    public TimeSpan ReadTime(long size) => TimeSpan.FromSeconds((double)size / config.ReadBytesPerSecond);

    /// <summary>
    /// Throws <see cref="DeadlineException"/> when an object of the real <paramref name="size"/> (a HEAD's, or the
    /// GET's before its body is read) cannot be read and copied in the time left. The event's size is only a hint: an
    /// event may carry any number (10^15 for a 327 KB object), and a wrong one must neither refuse a small object nor
    /// let a large one start (the pipeline checks the real size before it reads).
    /// </summary>
    public void EnsureTimeToReadAndCopy(SourceVersion source, long size, TimeSpan remaining)
    {
        if (!HasTimeToReadAndCopy(size, remaining))
        {
            var needed = TimeToReadAndCopy(size);
            throw new DeadlineException(
                $"Not reading s3://{source.Bucket}/{source.Key} ({size} bytes): reading and copying it needs about {needed.TotalSeconds:F1} s "
                + $"(DEADLINE_MARGIN_MS plus size / {config.ReadBytesPerSecond} B/s read plus size / COPY_BYTES_PER_SECOND) and "
                + $"{remaining.TotalSeconds:F1} s remain; nothing was written, the retry will start clean.");
        }
    }

    /// <summary>Whether an object of <paramref name="size"/> bytes can be read and copied in the time left.</summary>
    public bool HasTimeToReadAndCopy(long size, TimeSpan remaining) => TimeToReadAndCopy(size) <= remaining;

    private TimeSpan TimeToReadAndCopy(long size) => config.DeadlineMargin + ReadTime(size) + CopyTime(size);

    /// <summary>After reading: throws <see cref="DeadlineException"/> when the copy would probably outlive the invocation.</summary>
    public void EnsureTimeForCopy(SourceVersion source, TimeSpan remaining)
    {
        var size = source.StoredSize;
        var needed = config.DeadlineMargin + CopyTime(size);
        if (needed > remaining)
        {
            throw new DeadlineException(
                $"Not starting the copy of s3://{source.Bucket}/{source.Key} ({size} bytes): it needs about {needed.TotalSeconds:F1} s "
                + $"(DEADLINE_MARGIN_MS plus size / COPY_BYTES_PER_SECOND) and {remaining.TotalSeconds:F1} s remain; the retry will start clean.");
        }
    }

    /// <summary>
    /// How long a claim outlives a claimant that dies holding it: the estimated time of this copy plus
    /// <see cref="IngestConfig.ClaimGrace"/>, never longer than the claimant's own remaining time plus that grace.
    /// </summary>
    public TimeSpan ClaimLease(long size, TimeSpan remaining)
    {
        var copy = CopyTime(size);
        return (copy < remaining ? copy : remaining) + config.ClaimGrace;
    }

    /// <summary>How long a run waits for another claim holder: <see cref="IngestConfig.ClaimWait"/>, within its own time.</summary>
    public TimeSpan ClaimWait(TimeSpan remaining)
    {
        var wait = remaining - config.DeadlineMargin < config.ClaimWait ? remaining - config.DeadlineMargin : config.ClaimWait;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>
    /// The pause before a waiting run's next attempt at a claim: <see cref="IngestConfig.ClaimBackoffFirst"/> doubling
    /// to <see cref="IngestConfig.ClaimBackoffMax"/>, each ±20 % at random so waiting runs do not poll in step.
    /// </summary>
    public TimeSpan ClaimBackoff(int attempt)
    {
        var pause = config.ClaimBackoffFirst.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        pause = Math.Min(pause, config.ClaimBackoffMax.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(pause * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }
}
