using System.Text.Json.Serialization;

namespace IngestLambda.Core.Validation;

/// <summary>
/// The report's <c>validation.storedChecksum</c> (docs/contracts.md "Report"): the checksum S3 says it stored for the
/// object, and whether the read's own digest of the same bytes matched it. <see cref="Verified"/> is null when the
/// read could not check it: a composite (multipart, per-part) checksum, or an algorithm the read does not compute.
/// </summary>
public sealed record StoredChecksum(string Algorithm, string Type, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] bool? Verified);

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
}

/// <summary>S3's names of the checksum algorithms.</summary>
public static class ChecksumAlgorithms
{
    public const string Crc64Nvme = "CRC64NVME";
    public const string Crc32 = "CRC32";
    public const string Crc32C = "CRC32C";
    public const string Sha1 = "SHA1";
    public const string Sha256 = "SHA256";
}

/// <summary>A read whose bytes do not match the checksum S3 says it stored: a read fault, retried, never a verdict.</summary>
public sealed class ChecksumMismatchException(string message) : IOException(message)
{
    /// <summary>The reason the message starts with, and the failure queue shows.</summary>
    public const string Reason = "checksum-mismatch";
}
