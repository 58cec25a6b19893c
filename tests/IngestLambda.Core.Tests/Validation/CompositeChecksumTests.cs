using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// docs/reliability.md "Integrity": a COMPOSITE stored checksum (a multipart upload's) checked part by part in the one
/// pass, against parts as S3 lists them. The expected values are computed here independently, as S3 documents them: a
/// part's checksum is the algorithm over its bytes (a CRC as its big-endian value), and the composite is the algorithm
/// over the parts' checksums, concatenated, suffixed <c>-&lt;parts&gt;</c>.
/// </summary>
public class CompositeChecksumTests
{
    private static readonly byte[] Csv = Movies(Enumerable.Range(0, 60).Select(i => MovieRow(("id", $"tt{i:D7}"))).ToArray());

    /// <summary>Part sizes that cut rows anywhere: the read's chunks (1000 bytes) never line up with them.</summary>
    private static readonly int[] PartSizes = [1234, 2048, Csv.Length - 1234 - 2048];

    public static TheoryData<string> Algorithms => [ChecksumAlgorithms.Crc32, ChecksumAlgorithms.Crc32C, ChecksumAlgorithms.Sha1, ChecksumAlgorithms.Sha256];

    private static byte[] Digest(string algorithm, ReadOnlySpan<byte> data)
    {
        var bytes = new byte[algorithm is ChecksumAlgorithms.Crc32 or ChecksumAlgorithms.Crc32C ? 4 : 0];
        switch (algorithm)
        {
            case ChecksumAlgorithms.Crc32:
                BinaryPrimitives.WriteUInt32BigEndian(bytes, Crc32.HashToUInt32(data));
                return bytes;
            case ChecksumAlgorithms.Crc32C:
                var crc = new Crc32(Crc32ParameterSet.Crc32C);
                crc.Append(data);
                BinaryPrimitives.WriteUInt32BigEndian(bytes, crc.GetCurrentHashAsUInt32());
                return bytes;
            case ChecksumAlgorithms.Sha256:
                return SHA256.HashData(data);
            default:
#pragma warning disable CA5350 // S3 may store a SHA-1 checksum; computing one to compare is no security use
                return SHA1.HashData(data);
#pragma warning restore CA5350
        }
    }

    /// <summary>The parts of <see cref="Csv"/> and the stored composite value, as S3 would list and send them.</summary>
    private static ExpectedChecksum Listed(string algorithm, byte[]? listedBytes = null)
    {
        listedBytes ??= Csv;
        var parts = new List<ExpectedPart>();
        var digests = new List<byte>();
        var offset = 0;
        foreach (var size in PartSizes)
        {
            var digest = Digest(algorithm, listedBytes.AsSpan(offset, size));
            parts.Add(new ExpectedPart(parts.Count + 1, size, Convert.ToBase64String(digest)));
            digests.AddRange(digest);
            offset += size;
        }
        var composite = $"{Convert.ToBase64String(Digest(algorithm, digests.ToArray()))}-{parts.Count}";
        return new ExpectedChecksum(algorithm, ExpectedChecksum.Composite, composite) { Parts = parts };
    }

    private static Task<ValidationResult> Validate(ExpectedChecksum expected, int readSize = 1000) =>
        CsvValidator.ValidateAsync(new TrickleStream(Csv, readSize), ContentEncoding.None, Options(), expected);

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Parts_that_match_their_listed_checksums_and_the_composite_are_verified(string algorithm)
    {
        foreach (var readSize in new[] { 1000, 7, Csv.Length })
        {
            var r = await Validate(Listed(algorithm), readSize);
            Assert.True(r.Accepted);
            Assert.Equal(new StoredChecksum(algorithm, ExpectedChecksum.Composite, true), r.StoredChecksum);
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task A_part_whose_bytes_differ_from_what_S3_listed_is_a_mismatch_naming_the_part(string algorithm)
    {
        var other = (byte[])Csv.Clone();
        other[1234 + 2047] ^= 1; // the last byte of part 2
        var r = await Validate(Listed(algorithm, other));
        Assert.Equal(false, r.StoredChecksum!.Verified);
        Assert.StartsWith($"the {algorithm} of part 2 (bytes 1234-3281) is ", r.StoredChecksum.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parts_that_match_but_whose_composite_is_not_the_stored_value_are_a_mismatch()
    {
        var listed = Listed(ChecksumAlgorithms.Crc32);
        var r = await Validate(listed with { Value = "AAAAAA==-3" });
        Assert.Equal(false, r.StoredChecksum!.Verified);
        Assert.Contains("their composite", r.StoredChecksum.Reason, StringComparison.Ordinal);
        var otherCount = await Validate(listed with { Value = listed.Value[..^1] + "4" }); // the same digest, another part count
        Assert.Equal(false, otherCount.StoredChecksum!.Verified);
    }

    [Fact]
    public async Task Parts_that_do_not_add_up_to_the_bytes_read_are_a_mismatch()
    {
        var listed = Listed(ChecksumAlgorithms.Crc32);
        var shorter = listed with { Parts = listed.Parts!.Take(2).ToList() };
        var r = await Validate(shorter);
        Assert.Equal(false, r.StoredChecksum!.Verified);
        Assert.Contains($"{Csv.Length} bytes were read, and the 2 parts S3 listed add up to 3282", r.StoredChecksum.Reason, StringComparison.Ordinal);
        var longer = listed with { Parts = [.. listed.Parts!, new ExpectedPart(4, 10, "AAAAAA==")] };
        Assert.Equal(false, (await Validate(longer)).StoredChecksum!.Verified);
    }

    [Fact]
    public async Task A_composite_checksum_whose_parts_were_not_listed_is_unverified_with_the_reason()
    {
        var unlisted = Listed(ChecksumAlgorithms.Crc32) with { Parts = null, PartsUnlisted = "GetObjectAttributes answered 403 AccessDenied" };
        var r = await Validate(unlisted);
        Assert.Equal(new StoredChecksum(ChecksumAlgorithms.Crc32, ExpectedChecksum.Composite, null) { Reason = "GetObjectAttributes answered 403 AccessDenied" }, r.StoredChecksum);
    }

    [Fact]
    public async Task A_composite_crc64nvme_is_unverified_S3_has_none()
    {
        var r = await Validate(new ExpectedChecksum(ChecksumAlgorithms.Crc64Nvme, ExpectedChecksum.Composite, "AAAAAAAAAAA=-2"));
        Assert.Null(r.StoredChecksum!.Verified);
        Assert.Equal("CRC64NVME has no composite form", r.StoredChecksum.Reason);
    }

    [Fact]
    public async Task A_gzip_object_is_checked_part_by_part_as_stored()
    {
        var gzip = GzipValidationTests.Gzip(Csv);
        var half = gzip.Length / 2;
        var parts = new[] { (Number: 1, Bytes: gzip.AsSpan(0, half).ToArray()), (Number: 2, Bytes: gzip.AsSpan(half).ToArray()) };
        var listed = parts.Select(p => new ExpectedPart(p.Number, p.Bytes.Length, Convert.ToBase64String(Digest(ChecksumAlgorithms.Crc32, p.Bytes)))).ToList();
        var composite = Digest(ChecksumAlgorithms.Crc32, listed.SelectMany(p => Convert.FromBase64String(p.Checksum)).ToArray());
        var expected = new ExpectedChecksum(ChecksumAlgorithms.Crc32, ExpectedChecksum.Composite, $"{Convert.ToBase64String(composite)}-2") { Parts = listed };

        var r = await CsvValidator.ValidateAsync(new TrickleStream(gzip, 333), ContentEncoding.Gzip, Options(), expected);

        Assert.True(r.Accepted);
        Assert.Equal(true, r.StoredChecksum!.Verified);
    }
}
