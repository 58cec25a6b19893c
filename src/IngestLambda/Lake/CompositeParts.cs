using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Core.Validation;

namespace IngestLambda.Lake;

/// <summary>
/// The parts behind a COMPOSITE stored checksum (docs/reliability.md "Integrity"), listed by GetObjectAttributes
/// (ObjectParts, 1,000 a page) for the version the GET served, so the read can check each part's checksum in its one
/// pass. Where they cannot be listed (refused, not listed, inconsistent with the object read), the checksum is
/// recorded unverified with the reason; a network failure is thrown, so the read is retried.
/// </summary>
internal static class CompositeParts
{
    /// <summary>S3's largest part count (10,000 parts), read as 10 pages of its largest page.</summary>
    public const int MaxParts = 10_000;
    private const int PageParts = 1_000;

    /// <summary><paramref name="expected"/> with its parts listed, or with the reason they are not; a full-object checksum unchanged.</summary>
    public static async Task<ExpectedChecksum?> ListAsync(IAmazonS3 s3, GetObjectRequest get, GetObjectResponse response, ExpectedChecksum? expected,
        CancellationToken cancellationToken)
    {
        if (expected is null || expected.IsFullObject)
            return expected;
        if (!ChecksumAlgorithms.HasCompositeForm(expected.Algorithm))
            return expected with { PartsUnlisted = $"{expected.Algorithm} has no composite form" };
        if (PartCount(expected.Value) is not { } count)
            return expected with { PartsUnlisted = $"the stored value {expected.Value} does not end in -<parts>" };
        if (count > MaxParts)
            return expected with { PartsUnlisted = $"it names {count} parts, more than S3's {MaxParts}" };
        try
        {
            var parts = await ListPagesAsync(s3, get, response, expected.Algorithm, cancellationToken).ConfigureAwait(false);
            var unlisted = Inconsistency(parts, count, response.ContentLength);
            return unlisted is null ? expected with { Parts = parts } : expected with { PartsUnlisted = unlisted };
        }
        catch (AmazonS3Exception e)
        {
            // Refused (no s3:GetObjectAttributes / s3:GetObjectVersionAttributes), not implemented (an S3 look-alike),
            // or gone since the GET: the bytes read are still the version served; only the parts are unknown.
            return expected with { PartsUnlisted = $"GetObjectAttributes answered {(int)e.StatusCode} {e.ErrorCode}" };
        }
    }

    /// <summary>The <c>-&lt;parts&gt;</c> suffix of a composite value, or null when it has none.</summary>
    internal static int? PartCount(string compositeValue)
    {
        var dash = compositeValue.IndexOf('-', StringComparison.Ordinal); // base64 has no '-': the first is the suffix's
        return dash > 0 && int.TryParse(compositeValue.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count : null;
    }

    /// <summary>Every page of the parts of the version read; an empty list when S3 lists none.</summary>
    private static async Task<List<ExpectedPart>> ListPagesAsync(IAmazonS3 s3, GetObjectRequest get, GetObjectResponse response, string algorithm,
        CancellationToken cancellationToken)
    {
        var parts = new List<ExpectedPart>();
        var versionId = get.VersionId ?? S3Versions.RealVersionId(response.VersionId);
        int? marker = null;
        while (parts.Count <= MaxParts)
        {
            var request = new GetObjectAttributesRequest
            {
                BucketName = get.BucketName, Key = get.Key, VersionId = versionId, MaxParts = PageParts, PartNumberMarker = marker,
                ObjectAttributes = [ObjectAttributes.ObjectParts, ObjectAttributes.ETag],
            };
            var page = await s3.GetObjectAttributesAsync(request, cancellationToken).ConfigureAwait(false);
            // Without a version id the read was pinned by ETag: a listing of another ETag is of another object.
            if (!string.Equals(S3Versions.Unquote(page.ETag ?? ""), S3Versions.Unquote(response.ETag), StringComparison.OrdinalIgnoreCase))
                return [];
            foreach (var part in page.ObjectParts?.Parts ?? [])
                parts.Add(new ExpectedPart(part.PartNumber ?? 0, part.Size ?? -1, ChecksumOf(part, algorithm) ?? ""));
            if (page.ObjectParts is not { IsTruncated: true, NextPartNumberMarker: { } next } || next == marker)
                break;
            marker = next;
        }
        return parts;
    }

    private static string? ChecksumOf(ObjectPart part, string algorithm) => algorithm switch
    {
        ChecksumAlgorithms.Crc32 => part.ChecksumCRC32,
        ChecksumAlgorithms.Crc32C => part.ChecksumCRC32C,
        ChecksumAlgorithms.Sha1 => part.ChecksumSHA1,
        ChecksumAlgorithms.Sha256 => part.ChecksumSHA256,
        _ => null,
    };

    /// <summary>Why the listing cannot describe the object read, or null when it does: every part, in order, with a checksum, adding up to its size.</summary>
    private static string? Inconsistency(List<ExpectedPart> parts, int count, long objectBytes)
    {
        if (parts.Count == 0)
            return "GetObjectAttributes listed no parts for the version read";
        if (parts.Count != count)
            return string.Create(CultureInfo.InvariantCulture, $"GetObjectAttributes listed {parts.Count} part{(parts.Count == 1 ? "" : "s")}, the stored value names {count}");
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].Number != i + 1 || parts[i].Size < 0 || parts[i].Checksum.Length == 0)
                return string.Create(CultureInfo.InvariantCulture, $"GetObjectAttributes listed part {parts[i].Number} at position {i + 1}, or without its size or checksum");
        }
        var listed = parts.Sum(p => p.Size);
        return listed == objectBytes ? null
            : string.Create(CultureInfo.InvariantCulture, $"the parts GetObjectAttributes listed add up to {listed} bytes, the object has {objectBytes}");
    }
}
