using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>docs/reliability.md "Integrity": the digests of the stored bytes, and the check against what S3 says it stored.</summary>
public class StoredDigestsTests
{
    /// <summary>
    /// CRC-64/NVME bit by bit (reflected polynomial 0x9A6C9329AC4BC9B5, initial value and final XOR all ones), written
    /// independently of System.IO.Hashing, as base64 of the big-endian value: the form of <c>x-amz-checksum-crc64nvme</c>.
    /// </summary>
    internal static string Crc64NvmeBase64(ReadOnlySpan<byte> data)
    {
        var crc = ulong.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x9A6C9329AC4BC9B5UL : crc >> 1;
        }
        return BigEndianBase64(~crc);
    }

    private static string BigEndianBase64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return Convert.ToBase64String(bytes);
    }

    private static string BigEndianBase64(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Convert.ToBase64String(bytes);
    }

    private static uint Crc32C(byte[] data)
    {
        var crc = new Crc32(Crc32ParameterSet.Crc32C);
        crc.Append(data);
        return crc.GetCurrentHashAsUInt32();
    }

    [Fact]
    public void The_crc32c_used_for_checking_is_the_castagnoli_crc() =>
        Assert.Equal(0xE3069283u, Crc32C("123456789"u8.ToArray())); // the CRC catalogue's check value

    private static readonly byte[] Csv = Movies(MovieRow(), MovieRow(("id", "tt1234567")), MovieRow(("id", "tt7654321")));

    /// <summary>Published vectors: the CRC catalogue's check value, and the AWS CRT's tests of S3's CRC64NVME.</summary>
    [Theory]
    [InlineData("123456789", 0xAE8B14860A799888UL)]
    [InlineData("aaaaaaaaaa", 0x0C1A80036D65C555UL)]
    [InlineData("", 0UL)]
    public void The_crc64nvme_is_the_published_value_as_s3_prints_it(string text, ulong expected)
    {
        var data = Encoding.ASCII.GetBytes(text);
        using var digests = new StoredDigests(sha256: false, expected: null);
        digests.Append(data);
        Assert.Equal(BigEndianBase64(expected), digests.Crc64NvmeBase64());
        Assert.Equal(BigEndianBase64(expected), Crc64NvmeBase64(data)); // the reference implementation agrees
    }

    [Fact]
    public void Thirty_two_zero_bytes_give_the_crt_known_value()
    {
        using var digests = new StoredDigests(sha256: false, expected: null);
        digests.Append(new byte[32]);
        Assert.Equal(BigEndianBase64(0xCF3473434D4ECF3BUL), digests.Crc64NvmeBase64());
    }

    [Fact]
    public void A_large_buffer_appended_in_odd_pieces_matches_the_reference()
    {
        var data = new byte[300_001];
        new Random(7).NextBytes(data);
        using var digests = new StoredDigests(sha256: false, expected: null);
        for (var offset = 0; offset < data.Length; offset += 4093)
            digests.Append(data.AsSpan(offset, Math.Min(4093, data.Length - offset)));
        Assert.Equal(Crc64NvmeBase64(data), digests.Crc64NvmeBase64());
    }

    private static Task<ValidationResult> Validate(byte[] data, ExpectedChecksum? expected, bool sha256 = false) =>
        CsvValidator.ValidateAsync(new TrickleStream(data, 1000), ContentEncoding.None, Options() with { Sha256 = sha256 }, expected);

    public static TheoryData<string> Algorithms => [ChecksumAlgorithms.Crc64Nvme, ChecksumAlgorithms.Crc32, ChecksumAlgorithms.Crc32C, ChecksumAlgorithms.Sha256, ChecksumAlgorithms.Sha1];

    private static string Stored(string algorithm, byte[] data) => algorithm switch
    {
        ChecksumAlgorithms.Crc64Nvme => Crc64NvmeBase64(data),
        ChecksumAlgorithms.Crc32 => BigEndianBase64(Crc32.HashToUInt32(data)),
        ChecksumAlgorithms.Crc32C => BigEndianBase64(Crc32C(data)),
        ChecksumAlgorithms.Sha256 => Convert.ToBase64String(SHA256.HashData(data)),
#pragma warning disable CA5350 // S3 may store a SHA-1 checksum; computing one to compare is no security use
        _ => Convert.ToBase64String(SHA1.HashData(data)),
#pragma warning restore CA5350
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task A_full_object_checksum_that_matches_is_verified(string algorithm)
    {
        var r = await Validate(Csv, new ExpectedChecksum(algorithm, ExpectedChecksum.FullObject, Stored(algorithm, Csv)));
        Assert.True(r.Accepted);
        Assert.Equal(new StoredChecksum(algorithm, ExpectedChecksum.FullObject, true), r.StoredChecksum);
        Assert.Equal(Crc64NvmeBase64(Csv), r.Crc64Nvme); // recorded whatever S3 stored
        Assert.Null(r.Sha256); // computed to check a stored SHA-256, but only reported when asked
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task A_full_object_checksum_of_other_bytes_is_a_mismatch(string algorithm)
    {
        var other = (byte[])Csv.Clone();
        other[^2] ^= 1;
        var r = await Validate(Csv, new ExpectedChecksum(algorithm, ExpectedChecksum.FullObject, Stored(algorithm, other)));
        Assert.Equal(new StoredChecksum(algorithm, ExpectedChecksum.FullObject, false), r.StoredChecksum);
    }

    [Fact]
    public async Task A_stored_value_of_the_wrong_length_for_its_algorithm_is_recorded_unverified()
    {
        // What moto without awscrt stores when asked to compute a CRC64NVME itself: a CRC32 under that name.
        var crc32 = Stored(ChecksumAlgorithms.Crc32, Csv);
        var r = await Validate(Csv, new ExpectedChecksum(ChecksumAlgorithms.Crc64Nvme, ExpectedChecksum.FullObject, crc32));
        Assert.Equal(new StoredChecksum(ChecksumAlgorithms.Crc64Nvme, ExpectedChecksum.FullObject, null) { Reason = "the stored value is not a CRC64NVME (wrong length)" }, r.StoredChecksum);
        var garbage = await Validate(Csv, new ExpectedChecksum(ChecksumAlgorithms.Crc32, ExpectedChecksum.FullObject, "not base64!"));
        Assert.Null(garbage.StoredChecksum!.Verified);
    }

    [Fact]
    public async Task A_composite_checksum_without_its_parts_is_recorded_unverified()
    {
        var r = await Validate(Csv, new ExpectedChecksum(ChecksumAlgorithms.Crc32, ExpectedChecksum.Composite, "AAAAAA==-3"));
        Assert.Equal(new StoredChecksum(ChecksumAlgorithms.Crc32, ExpectedChecksum.Composite, null) { Reason = "its parts were not listed" }, r.StoredChecksum);
    }

    [Fact]
    public async Task Without_a_stored_checksum_none_is_recorded_and_sha256_only_when_asked()
    {
        var plain = await Validate(Csv, expected: null);
        Assert.Null(plain.StoredChecksum);
        Assert.Null(plain.Sha256);
        var asked = await Validate(Csv, expected: null, sha256: true);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Csv)), asked.Sha256);
        Assert.Equal(plain.Crc64Nvme, asked.Crc64Nvme);
    }

    [Fact]
    public async Task A_gzip_object_is_checked_as_stored()
    {
        var stored = GzipValidationTests.Gzip(Csv);
        var r = await CsvValidator.ValidateAsync(new TrickleStream(stored, 777), ContentEncoding.Gzip, Options(),
            new ExpectedChecksum(ChecksumAlgorithms.Crc64Nvme, ExpectedChecksum.FullObject, Crc64NvmeBase64(stored)));
        Assert.True(r.Accepted);
        Assert.Equal(true, r.StoredChecksum!.Verified);
        Assert.Equal(Crc64NvmeBase64(stored), r.Crc64Nvme);
    }
}
