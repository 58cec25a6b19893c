using System.Text.Json.Serialization;

namespace IngestLambda.Core.Validation;

/// <summary>
/// The report's <c>validation.storedChecksum</c> (docs/contracts.md "Report"): the checksum S3 says it stored for the
/// object, and whether the read's own digest of the same bytes matched it. <see cref="Verified"/> is null when the
/// read could not check it (a composite checksum whose parts could not be listed, a value not of its algorithm's
/// length); <see cref="Reason"/> then says why.
/// </summary>
public sealed record StoredChecksum(string Algorithm, string Type, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] bool? Verified)
{
    /// <summary>Why the checksum is not verified (or, for a mismatch, where it failed: the read's error says so; no report has one).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }
}

/// <summary>
/// What S3 says it stored (the <c>x-amz-checksum-*</c> and <c>x-amz-checksum-type</c> headers of a GET with
/// <c>ChecksumMode=ENABLED</c>): an algorithm named as S3 names it (<see cref="ChecksumAlgorithms"/>), FULL_OBJECT or
/// COMPOSITE, and the base64 value as S3 prints it.
/// </summary>
public sealed record ExpectedChecksum(string Algorithm, string Type, string Value)
{
    public const string FullObject = "FULL_OBJECT";
    public const string Composite = "COMPOSITE";

    public bool IsFullObject => Type == FullObject;

    /// <summary>
    /// For a COMPOSITE checksum, the parts S3 listed for the version read (GetObjectAttributes), in order; null when
    /// they could not be listed, and <see cref="PartsUnlisted"/> then says why.
    /// </summary>
    public IReadOnlyList<ExpectedPart>? Parts { get; init; }

    /// <summary>Why a COMPOSITE checksum's parts could not be listed: the report's <c>storedChecksum.reason</c>.</summary>
    public string? PartsUnlisted { get; init; }
}

/// <summary>One part of a multipart upload as S3 lists it: its number, its size in bytes, and its checksum as S3 prints it (base64).</summary>
public sealed record ExpectedPart(int Number, long Size, string Checksum);

/// <summary>S3's names of the checksum algorithms.</summary>
public static class ChecksumAlgorithms
{
    public const string Crc64Nvme = "CRC64NVME";
    public const string Crc32 = "CRC32";
    public const string Crc32C = "CRC32C";
    public const string Sha1 = "SHA1";
    public const string Sha256 = "SHA256";

    /// <summary>Whether S3 has a COMPOSITE (multipart) form of <paramref name="algorithm"/>: CRC64NVME is full-object only.</summary>
    public static bool HasCompositeForm(string algorithm) => algorithm is Crc32 or Crc32C or Sha1 or Sha256;
}

/// <summary>A read whose bytes do not match the checksum S3 says it stored: a read fault, retried, never a verdict.</summary>
public sealed class ChecksumMismatchException(string message) : IOException(message)
{
    /// <summary>The reason the message starts with, and the failure queue shows.</summary>
    public const string Reason = "checksum-mismatch";
}
