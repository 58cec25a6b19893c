using Amazon.S3.Model;
using IngestLambda.Core.Reports;
using IngestLambda.Events;

namespace IngestLambda.Lake;

/// <summary>
/// One version of one landed object: the one value every step of a record takes, never re-packed. Admission makes it
/// from the event (<see cref="VersionId"/>, <see cref="ETag"/> and <see cref="Size"/> as the event says, any of them
/// possibly absent); the read pins it to what S3 served (<see cref="PinnedTo"/>), and every later step (claim, copy,
/// metadata, report) uses that pinned value.
/// </summary>
/// <param name="Path">The key relative to LANDING_PREFIX: the <c>&lt;path&gt;</c> every destination key ends with.</param>
/// <param name="Size">The event's size until the read (a hint only: events may lie); the served size after it.</param>
/// <param name="Sequencer">S3's per-key event order, where the event has one (moto's events do not).</param>
/// <param name="ContentType">The stored Content-Type, known after the read; the copy keeps it.</param>
internal sealed record SourceVersion(
    string Bucket, string Key, string Path, string? VersionId, string? ETag, long? Size, DateTimeOffset EventTime,
    string? Sequencer = null, string? ContentType = null)
{
    /// <summary>Whether <see cref="PinnedTo"/> has fixed the version, ETag and size to what S3 served.</summary>
    public bool IsPinned { get; private init; }

    /// <summary>
    /// The version actually read: the event's version id (or the response's, for an event without one), the served
    /// ETag, size and Content-Type. A copy or report made from it names exactly these bytes.
    /// </summary>
    public SourceVersion PinnedTo(string? responseVersionId, string responseETag, long contentLength, string? contentType) => this with
    {
        VersionId = VersionId ?? S3Versions.RealVersionId(responseVersionId),
        ETag = S3Versions.Unquote(responseETag),
        Size = contentLength,
        ContentType = contentType,
        IsPinned = true,
    };

    /// <summary>The pinned size; only a pinned version has one that can be trusted.</summary>
    public long StoredSize => IsPinned ? Size!.Value : throw new InvalidOperationException("The source version is not pinned to a read yet.");

    /// <summary>A GetObject/CopyObject condition that pins the request to this version: VersionId, else If-Match on the ETag.</summary>
    public string? ETagCondition => VersionId is null && ETag is not null ? S3Versions.Quote(ETag) : null;

    /// <summary>The report's <c>source</c> section.</summary>
    public SourceInfo ToReportSource() => new(Bucket, Key, VersionId, ETag ?? "", Size ?? 0, EventTime);

    /// <summary>Names this version in the metadata of a copy, report or claim (docs/contracts.md "Lake layout").</summary>
    public void WriteIdentityTo(MetadataCollection metadata)
    {
        metadata.Add(LakeMetadata.SourceKey, FormUrlKey.ToMetadataValue(Key));
        metadata.Add(LakeMetadata.SourceETag, ETag ?? "");
        if (VersionId is not null)
            metadata.Add(LakeMetadata.SourceVersionId, VersionId);
    }

    /// <summary>
    /// Whether a copy or report was made from this version: the key matches and the version ids match (or, without a
    /// version id on either side, the ETags).
    /// </summary>
    public bool IsNamedBy(MetadataCollection metadata)
    {
        if (metadata[LakeMetadata.SourceKey] != FormUrlKey.ToMetadataValue(Key))
            return false;
        var storedVersion = metadata[LakeMetadata.SourceVersionId];
        if (VersionId is not null && !string.IsNullOrEmpty(storedVersion))
            return storedVersion == VersionId;
        return ETag is not null && string.Equals(metadata[LakeMetadata.SourceETag], ETag, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The object metadata names (<c>x-amz-meta-…</c>) the lake's copies and reports carry.</summary>
internal static class LakeMetadata
{
    public const string SourceKey = "ingest-source-key";
    public const string SourceETag = "ingest-source-etag";
    public const string SourceVersionId = "ingest-source-version-id";
    public const string Rows = "ingest-rows";
    /// <summary>Base64 CRC64NVME of the stored bytes, as S3 prints it (docs/reliability.md "Integrity").</summary>
    public const string Crc64Nvme = "ingest-crc64nvme";
    /// <summary>Only with INTEGRITY_SHA256=true.</summary>
    public const string Sha256 = "ingest-sha256";
    public const string Dataset = "ingest-dataset";
    /// <summary>The S3 event's sequencer, on copies whose event had one.</summary>
    public const string Sequencer = "ingest-sequencer";
}

/// <summary>How S3 writes ETags and version ids, made comparable.</summary>
internal static class S3Versions
{
    /// <summary>ETags travel quoted in HTTP and usually unquoted in events; compare and store them unquoted.</summary>
    public static string Unquote(string eTag) => eTag.Trim().Trim('"');

    public static string Quote(string eTag) => $"\"{Unquote(eTag)}\"";

    /// <summary>S3 reports "null" as the version id of objects written while versioning was off.</summary>
    public static string? RealVersionId(string? versionId) => string.IsNullOrEmpty(versionId) || versionId == "null" ? null : versionId;
}
