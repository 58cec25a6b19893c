using System.Globalization;
using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Configuration;

namespace IngestLambda.Lake;

/// <summary>Another invocation is ingesting the same destination and did not finish in time; the retry will find its result.</summary>
public sealed class ClaimHeldException(string message) : Exception(message);

/// <summary>A claim this invocation holds: the exact version (or, without versioning, the ETag) it wrote.</summary>
internal sealed record HeldClaim(string Bucket, string Key, string? VersionId, string ETag);

/// <summary>
/// What a run asks for: the claim object for one destination, on behalf of one source version; how long the claim
/// lives if the run dies holding it (<see cref="Lease"/>), and how long the run waits for another holder.
/// </summary>
internal sealed record ClaimRequest(string Bucket, string Key, SourceVersion Source, string RequestId, TimeSpan Lease, TimeSpan MaxWait);

/// <summary>
/// Serialises the runs that would write the same destination (duplicate deliveries of one event run at once, or two
/// uploads of one name), so the check "is this source version already copied?" and the copy cannot interleave.
/// <para>
/// The claim is a small object beside the report (<c>&lt;report key&gt;.claim</c>) created with <c>If-None-Match: *</c>,
/// which S3 applies atomically: one run wins, the others get 412. The winner checks, copies, writes the report and
/// deletes exactly its own claim (by version id, or If-Match on its ETag). A loser waits for the winner's report (then
/// its outcome is <c>duplicate</c>) or fails after <see cref="IngestConfig.ClaimWait"/> so that Lambda retries it.
/// </para>
/// <para>
/// A run that crashes keeps its claim. The claim records when it expires, its lease: the estimated time of the copy
/// plus <see cref="IngestConfig.ClaimGrace"/> (<see cref="TimeBudget.ClaimLease"/>). An expired claim is removed
/// (exactly that version) and the runs compete again, so a crash delays the retry by about the lease, never for good.
/// A waiting run backs off (<see cref="TimeBudget.ClaimBackoff"/>: 200 ms doubling to 2 s) instead of polling.
/// </para>
/// <para>
/// Deleting needs s3:DeleteObject/DeleteObjectVersion on the claims. Without them the function still works: it
/// releases a claim by overwriting it (If-Match) with one that has already expired, and takes expired claims over in
/// place; the claims then stay in the lake as small objects.
/// </para>
/// </summary>
internal sealed class RecordClaims(IAmazonS3 s3, LakeLedger ledger, IngestConfig config, TimeBudget budget, TimeProvider time)
{
    public const string Suffix = ".claim";
    private const string UntilField = "ingest-claim-until";
    private const string TokenField = "ingest-claim-token";
    /// <summary>A claim whose expiry cannot be read is taken to live as long as the longest Lambda invocation.</summary>
    private static readonly TimeSpan UnreadableClaimLife = TimeSpan.FromMinutes(16);

    /// <summary>
    /// Takes the claim, or returns null as soon as <paramref name="finished"/> says another run has completed the work.
    /// Throws <see cref="ClaimHeldException"/> when a live claim is still held after the wait.
    /// </summary>
    public async Task<HeldClaim?> AcquireAsync(ClaimRequest claim, Func<Task<bool>> finished, CancellationToken cancellationToken)
    {
        var (bucket, key, identity, requestId) = (claim.Bucket, claim.Key, claim.Source, claim.RequestId);
        var now = time.GetUtcNow();
        var until = now + claim.Lease;
        var token = Guid.NewGuid().ToString("N");
        var giveUpAt = now + (claim.MaxWait > TimeSpan.Zero ? claim.MaxWait : TimeSpan.Zero);
        for (var attempt = 0; ; attempt++)
        {
            if (await TryWriteAsync(bucket, key, identity, requestId, token, until, ifMatch: null, cancellationToken).ConfigureAwait(false) is { } created)
                return created;
            if (await finished().ConfigureAwait(false))
                return null;

            var current = await ledger.HeadOrNullAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            if (current is not null)
            {
                var etag = S3Versions.Unquote(current.ETag);
                if (current.Metadata[TokenField] == token)
                    return new HeldClaim(bucket, key, S3Versions.RealVersionId(current.VersionId), etag); // ours: the 412 answered an SDK retry of our own create
                if (time.GetUtcNow() > ExpiresAt(current))
                {
                    if (await TryDeleteExactAsync(bucket, key, S3Versions.RealVersionId(current.VersionId), etag, cancellationToken).ConfigureAwait(false))
                        continue;
                    // Not allowed to delete (the IAM statement for claims is missing): take the expired claim over in place.
                    if (await TryWriteAsync(bucket, key, identity, requestId, token, until, ifMatch: etag, cancellationToken).ConfigureAwait(false) is { } taken)
                        return taken;
                    continue;
                }
            }
            // A live claim, or none any more (released in between): pause, then compete again (never a tight loop).
            var left = giveUpAt - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                throw new ClaimHeldException(
                    $"Another invocation holds the claim s3://{bucket}/{key} (token {current?.Metadata[TokenField] ?? "unknown"}, until "
                    + $"{(current is null ? "unknown" : ExpiresAt(current).ToString("O", CultureInfo.InvariantCulture))}) and is still writing this destination; "
                    + "not copying twice. The retry will find its result or take over the expired claim.");
            }
            var pause = budget.ClaimBackoff(attempt);
            await Task.Delay(pause < left ? pause : left, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Best effort: a claim left behind expires on its own.</summary>
    public async Task ReleaseAsync(HeldClaim claim)
    {
        try
        {
            // Not the invocation's token: release even when the work was cancelled at the deadline, within the margin.
            using var timeout = new CancellationTokenSource(TimeBudget.CleanupTimeout(config));
            if (!await TryDeleteExactAsync(claim.Bucket, claim.Key, claim.VersionId, claim.ETag, timeout.Token).ConfigureAwait(false))
            {
                // Not allowed to delete: leave a claim that has already expired, so the next run takes it over at once.
                await TryWriteAsync(claim.Bucket, claim.Key, identity: null, requestId: "-", token: "released", DateTimeOffset.UnixEpoch, ifMatch: claim.ETag, timeout.Token)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Expires at its recorded time; the next run removes it then.
        }
    }

    /// <summary>Creates the claim (<c>If-None-Match: *</c>), or replaces the one with ETag <paramref name="ifMatch"/>; null when another write won.</summary>
    private async Task<HeldClaim?> TryWriteAsync(string bucket, string key, SourceVersion? identity, string requestId, string token,
        DateTimeOffset until, string? ifMatch, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            ContentType = "text/plain",
            // Unique content, so the ETag names this claim alone (an unversioned bucket deletes by If-Match on it).
            InputStream = new MemoryStream(Encoding.UTF8.GetBytes($"claimed by request {requestId} (token {token}, {Guid.NewGuid():N}) until {until:O}\n")),
        };
        if (ifMatch is null)
            request.IfNoneMatch = "*";
        else
            request.IfMatch = S3Versions.Quote(ifMatch);
        identity?.WriteIdentityTo(request.Metadata);
        request.Metadata.Add(UntilField, until.ToString("O", CultureInfo.InvariantCulture));
        request.Metadata.Add(TokenField, token);
        try
        {
            var response = await ShortRequest.RunAsync(config.SmallRequestTimeout, $"the PUT of the claim s3://{bucket}/{key}",
                token => s3.PutObjectAsync(request, token), cancellationToken).ConfigureAwait(false);
            return new HeldClaim(bucket, key, S3Versions.RealVersionId(response.VersionId), S3Versions.Unquote(response.ETag));
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            // 412: the claim exists; 409 ConditionalRequestConflict: a concurrent conditional write to it is in flight.
            return null;
        }
    }

    /// <summary>
    /// Deletes that very claim and nothing newer: by version id in a versioned bucket, else If-Match on its ETag.
    /// True when it is gone (now or already); false when this function may not delete (403).
    /// </summary>
    private async Task<bool> TryDeleteExactAsync(string bucket, string key, string? versionId, string etag, CancellationToken cancellationToken)
    {
        var request = new DeleteObjectRequest { BucketName = bucket, Key = key };
        if (versionId is not null)
            request.VersionId = versionId;
        else
            request.IfMatch = S3Versions.Quote(etag);
        try
        {
            await ShortRequest.RunAsync(config.SmallRequestTimeout, $"the DELETE of the claim s3://{bucket}/{key}",
                token => s3.DeleteObjectAsync(request, token), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return true; // someone else removed or replaced it already
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            return false;
        }
    }

    private static DateTimeOffset ExpiresAt(GetObjectMetadataResponse claim) =>
        DateTimeOffset.TryParse(claim.Metadata[UntilField], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var until)
            ? until
            : new DateTimeOffset((claim.LastModified ?? DateTime.UtcNow).ToUniversalTime(), TimeSpan.Zero) + UnreadableClaimLife;
}
