using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace IngestLambda.Core.Validation;

/// <summary>
/// The digests of the object as stored, fed every byte once by the read (docs/reliability.md "Integrity"): always its
/// CRC64NVME, the checksum S3 itself stores by default; SHA-256 when asked (INTEGRITY_SHA256); and, when S3 says it
/// stored a full-object checksum of another algorithm, that algorithm too, so the read can be checked against it.
/// </summary>
internal sealed class StoredDigests : IDisposable
{
    private readonly Crc64 _crc64Nvme = new(Crc64ParameterSet.Nvme);
    private readonly IncrementalHash? _sha256;
    private readonly bool _sha256Asked;
    private readonly ExpectedChecksum? _expected;
    /// <summary>The expected checksum's algorithm when it is neither of the two above; null otherwise.</summary>
    private readonly Crc32? _otherCrc;
    private readonly IncrementalHash? _otherHash;

    /// <param name="sha256">Whether the report carries a SHA-256 (INTEGRITY_SHA256).</param>
    /// <param name="expected">What S3 says it stored, from the GET's checksum headers; null when it said nothing.</param>
    public StoredDigests(bool sha256, ExpectedChecksum? expected)
    {
        (_sha256Asked, _expected) = (sha256, expected);
        var algorithm = expected is { IsFullObject: true } ? expected.Algorithm : null;
        if (sha256 || algorithm == ChecksumAlgorithms.Sha256)
            _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _otherCrc = algorithm switch
        {
            ChecksumAlgorithms.Crc32 => new Crc32(),
            ChecksumAlgorithms.Crc32C => new Crc32(Crc32ParameterSet.Crc32C),
            _ => null,
        };
        if (algorithm == ChecksumAlgorithms.Sha1)
            _otherHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _crc64Nvme.Append(bytes);
        _sha256?.AppendData(bytes);
        _otherCrc?.Append(bytes);
        _otherHash?.AppendData(bytes);
    }

    /// <summary>Base64 of the big-endian CRC64NVME: exactly as S3 prints <c>x-amz-checksum-crc64nvme</c>.</summary>
    public string Crc64NvmeBase64()
    {
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, _crc64Nvme.GetCurrentHashAsUInt64());
        return Convert.ToBase64String(value);
    }

    /// <summary>Writes the digests into <paramref name="result"/>: CRC64NVME, SHA-256 when asked, and S3's stored checksum checked.</summary>
    public ValidationResult Complete(ValidationResult result)
    {
        var sha256 = _sha256?.GetHashAndReset();
        var crc64 = Crc64NvmeBase64();
        return result with
        {
            Crc64Nvme = crc64,
            Sha256 = _sha256Asked && sha256 is not null ? Convert.ToHexStringLower(sha256) : null,
            StoredChecksum = _expected is null ? null : Check(_expected, crc64, sha256),
        };
    }

    private StoredChecksum Check(ExpectedChecksum expected, string crc64, byte[]? sha256)
    {
        if (!expected.IsFullObject)
            return new StoredChecksum(expected.Algorithm, expected.Type, null); // per-part checksums: not verified here
        var computed = expected.Algorithm switch
        {
            ChecksumAlgorithms.Crc64Nvme => crc64,
            ChecksumAlgorithms.Crc32 or ChecksumAlgorithms.Crc32C => Crc32Base64(_otherCrc!),
            ChecksumAlgorithms.Sha256 => Convert.ToBase64String(sha256!),
            ChecksumAlgorithms.Sha1 => Convert.ToBase64String(_otherHash!.GetHashAndReset()),
            _ => null, // an algorithm this read does not know: recorded, not verified
        };
        // A value of the wrong length is no checksum of that algorithm (moto without awscrt stores a CRC32 under the
        // name CRC64NVME when it computes one itself): it says nothing about these bytes, so it is recorded, not judged.
        if (computed is null || !SameLength(computed, expected.Value))
            return new StoredChecksum(expected.Algorithm, expected.Type, null);
        return new StoredChecksum(expected.Algorithm, expected.Type, computed == expected.Value);
    }

    private static bool SameLength(string computedBase64, string storedBase64)
    {
        Span<byte> stored = stackalloc byte[64];
        return Convert.TryFromBase64String(storedBase64, stored, out var length) && length == Convert.FromBase64String(computedBase64).Length;
    }

    private static string Crc32Base64(Crc32 crc)
    {
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, crc.GetCurrentHashAsUInt32());
        return Convert.ToBase64String(value);
    }

    public void Dispose()
    {
        _sha256?.Dispose();
        _otherHash?.Dispose();
    }
}
