using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace IngestLambda.Core.Validation;

/// <summary>
/// One of the algorithms S3 checks objects with, computed incrementally and written as S3 writes it: a CRC as its
/// big-endian value, a SHA as its digest (docs/reliability.md "Integrity").
/// </summary>
internal sealed class S3Digest : IDisposable
{
    private readonly Crc32? _crc32;
    private readonly IncrementalHash? _sha;

    private S3Digest(Crc32? crc32, IncrementalHash? sha) => (_crc32, _sha) = (crc32, sha);

    /// <summary>A digest of <paramref name="algorithm"/> (CRC32, CRC32C, SHA1 or SHA256), or null for any other.</summary>
    public static S3Digest? For(string algorithm) => algorithm switch
    {
        ChecksumAlgorithms.Crc32 => new S3Digest(new Crc32(), null),
        ChecksumAlgorithms.Crc32C => new S3Digest(new Crc32(Crc32ParameterSet.Crc32C), null),
        ChecksumAlgorithms.Sha1 => new S3Digest(null, IncrementalHash.CreateHash(HashAlgorithmName.SHA1)),
        ChecksumAlgorithms.Sha256 => new S3Digest(null, IncrementalHash.CreateHash(HashAlgorithmName.SHA256)),
        _ => null,
    };

    /// <summary>The digest's length in bytes.</summary>
    public int Length => _crc32 is not null ? sizeof(uint) : _sha!.HashLengthInBytes;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _crc32?.Append(bytes);
        _sha?.AppendData(bytes);
    }

    /// <summary>Writes the digest of what was appended into <paramref name="destination"/> and starts again from nothing.</summary>
    public void WriteAndReset(Span<byte> destination)
    {
        if (_crc32 is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, _crc32.GetCurrentHashAsUInt32());
            _crc32.Reset();
        }
        else
        {
            _ = _sha!.GetHashAndReset(destination);
        }
    }

    /// <summary>The digest as base64, the form of S3's <c>x-amz-checksum-*</c> headers, and a fresh start.</summary>
    public string Base64AndReset()
    {
        Span<byte> digest = stackalloc byte[Length];
        WriteAndReset(digest);
        return Convert.ToBase64String(digest);
    }

    public void Dispose() => _sha?.Dispose();
}
