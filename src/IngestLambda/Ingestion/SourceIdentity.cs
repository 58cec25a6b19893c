using Amazon.S3.Model;
using IngestLambda.Events;

namespace IngestLambda.Ingestion;

/// <summary>
/// Which landed object version a copy or a report came from, as stored in its object metadata (docs/contracts.md "Object metadata").
/// Two runs handled the same source when the key matches and the version ids match (or, without a version id on
/// either side, the ETags).
/// </summary>
internal sealed record SourceIdentity(string Key, string? VersionId, string ETag)
{
    public const string KeyField = "ingest-source-key";
    public const string ETagField = "ingest-source-etag";
    public const string VersionIdField = "ingest-source-version-id";
    public const string RowsField = "ingest-rows";
    public const string Sha256Field = "ingest-sha256";
    public const string DatasetField = "ingest-dataset";
    /// <summary>The S3 event's sequencer (x-amz-meta-ingest-sequencer), on copies whose event had one.</summary>
    public const string SequencerField = "ingest-sequencer";

    public void WriteTo(MetadataCollection metadata)
    {
        metadata.Add(KeyField, FormUrlKey.ToMetadataValue(Key));
        metadata.Add(ETagField, ETag);
        if (VersionId is not null)
            metadata.Add(VersionIdField, VersionId);
    }

    public bool Matches(MetadataCollection metadata)
    {
        if (metadata[KeyField] != FormUrlKey.ToMetadataValue(Key))
            return false;
        var storedVersion = metadata[VersionIdField];
        if (VersionId is not null && !string.IsNullOrEmpty(storedVersion))
            return storedVersion == VersionId;
        return string.Equals(metadata[ETagField], ETag, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>ETags travel quoted in HTTP and usually unquoted in events; compare and store them unquoted.</summary>
    public static string Unquote(string eTag) => eTag.Trim().Trim('"');

    public static string Quote(string eTag) => $"\"{Unquote(eTag)}\"";

    /// <summary>S3 reports "null" as the version id of objects written while versioning was off.</summary>
    public static string? RealVersionId(string? versionId) => string.IsNullOrEmpty(versionId) || versionId == "null" ? null : versionId;
}
