using Amazon.S3.Model;
using IngestLambda.Core.Validation;

namespace IngestLambda.Lake;

/// <summary>
/// The checksum S3 says it stored for the object read (docs/reliability.md "Integrity"), from the headers of a GET
/// with <c>ChecksumMode=ENABLED</c>, and what a mismatch with the read's own digest means: a read fault, retried.
/// </summary>
internal static class StoredChecksums
{
    /// <summary>
    /// The stored checksum the response names, or null when it names none. A response without
    /// <c>x-amz-checksum-type</c> (older objects; moto) is typed by its value: a composite value ends in
    /// <c>-&lt;parts&gt;</c>, which base64 never contains.
    /// </summary>
    public static ExpectedChecksum? From(GetObjectResponse response)
    {
        var (algorithm, value) =
            response.ChecksumCRC64NVME is { Length: > 0 } crc64 ? (ChecksumAlgorithms.Crc64Nvme, crc64)
            : response.ChecksumCRC32 is { Length: > 0 } crc32 ? (ChecksumAlgorithms.Crc32, crc32)
            : response.ChecksumCRC32C is { Length: > 0 } crc32C ? (ChecksumAlgorithms.Crc32C, crc32C)
            : response.ChecksumSHA256 is { Length: > 0 } sha256 ? (ChecksumAlgorithms.Sha256, sha256)
            : response.ChecksumSHA1 is { Length: > 0 } sha1 ? (ChecksumAlgorithms.Sha1, sha1)
            : (null, null);
        if (algorithm is null || value is null)
            return null;
        var type = response.ChecksumType?.Value is { Length: > 0 } named ? named
            : value.Contains('-', StringComparison.Ordinal) ? ExpectedChecksum.Composite : ExpectedChecksum.FullObject;
        return new ExpectedChecksum(algorithm, type, value);
    }

    /// <summary>Throws when the bytes read are not the bytes S3 says it stored: nothing may be judged or written from them.</summary>
    public static void EnsureMatched(ValidationResult validation, ExpectedChecksum? expected, SourceVersion source)
    {
        if (validation.StoredChecksum is { Verified: false } stored)
        {
            throw new ChecksumMismatchException(
                $"{ChecksumMismatchException.Reason}: the {stored.Algorithm} of the {validation.Bytes} bytes read from s3://{source.Bucket}/{source.Key} "
                + $"is not the {expected!.Value} S3 says it stored{(stored.Reason is { } where ? $" ({where})" : "")}; nothing was written, the read will be retried.");
        }
    }
}
