using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace IngestLambda.Core.Validation;

/// <summary>
/// The digests of the object as stored, fed every byte once by the read (docs/reliability.md "Integrity"): always its
/// CRC64NVME, the checksum S3 itself stores by default; SHA-256 when asked (INTEGRITY_SHA256); and, when S3 says it
/// stored a full-object checksum of another algorithm, that algorithm too, so the read can be checked against it; and
/// for a composite checksum whose parts S3 listed, each part's digest (<see cref="CompositeChecksum"/>).
/// </summary>
internal sealed class StoredDigests : IDisposable
{
    private readonly Crc64 _crc64Nvme = new(Crc64ParameterSet.Nvme);
    private readonly IncrementalHash? _sha256;
    private readonly bool _sha256Asked;
    private readonly ExpectedChecksum? _expected;
    /// <summary>The expected full-object checksum's algorithm when it is neither of the two above; null otherwise.</summary>
    private readonly S3Digest? _other;
    /// <summary>The expected composite checksum's parts, checked one by one; null without a composite whose parts were listed.</summary>
    private readonly CompositeChecksum? _composite;

    /// <param name="sha256">Whether the report carries a SHA-256 (INTEGRITY_SHA256).</param>
    /// <param name="expected">What S3 says it stored, from the GET's checksum headers; null when it said nothing.</param>
    public StoredDigests(bool sha256, ExpectedChecksum? expected)
    {
        (_sha256Asked, _expected) = (sha256, expected);
        var algorithm = expected is { IsFullObject: true } ? expected.Algorithm : null;
        if (sha256 || algorithm == ChecksumAlgorithms.Sha256)
            _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (algorithm is ChecksumAlgorithms.Crc32 or ChecksumAlgorithms.Crc32C or ChecksumAlgorithms.Sha1)
            _other = S3Digest.For(algorithm);
        _composite = expected is null ? null : CompositeChecksum.For(expected);
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _crc64Nvme.Append(bytes);
        _sha256?.AppendData(bytes);
        _other?.Append(bytes);
        _composite?.Append(bytes);
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
            return CheckComposite(expected);
        var computed = expected.Algorithm switch
        {
            ChecksumAlgorithms.Crc64Nvme => crc64,
            ChecksumAlgorithms.Sha256 => Convert.ToBase64String(sha256!),
            _ => _other?.Base64AndReset(), // null: an algorithm this read does not know, recorded, not verified
        };
        if (computed is null)
            return new StoredChecksum(expected.Algorithm, expected.Type, null) { Reason = $"{expected.Algorithm} is not an algorithm this read computes" };
        // A value of the wrong length is no checksum of that algorithm (moto without awscrt stores a CRC32 under the
        // name CRC64NVME when it computes one itself): it says nothing about these bytes, so it is recorded, not judged.
        if (!SameLength(computed, expected.Value))
            return new StoredChecksum(expected.Algorithm, expected.Type, null) { Reason = $"the stored value is not a {expected.Algorithm} (wrong length)" };
        return new StoredChecksum(expected.Algorithm, expected.Type, computed == expected.Value);
    }

    /// <summary>A composite checksum, verified part by part when S3 listed the parts; unverified, with the reason, when not.</summary>
    private StoredChecksum CheckComposite(ExpectedChecksum expected)
    {
        if (_composite is null)
        {
            return new StoredChecksum(expected.Algorithm, expected.Type, null)
            {
                Reason = expected.PartsUnlisted
                    ?? (!ChecksumAlgorithms.HasCompositeForm(expected.Algorithm) ? $"{expected.Algorithm} has no composite form" : "its parts were not listed"),
            };
        }
        var (verified, mismatch) = _composite.Complete();
        return new StoredChecksum(expected.Algorithm, expected.Type, verified) { Reason = mismatch };
    }

    private static bool SameLength(string computedBase64, string storedBase64)
    {
        Span<byte> stored = stackalloc byte[64];
        return Convert.TryFromBase64String(storedBase64, stored, out var length) && length == Convert.FromBase64String(computedBase64).Length;
    }

    public void Dispose()
    {
        _sha256?.Dispose();
        _other?.Dispose();
        _composite?.Dispose();
    }
}
