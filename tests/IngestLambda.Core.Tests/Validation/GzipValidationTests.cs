using System.IO.Compression;
using System.Text;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>docs/contracts.md "Compressed files": a .csv.gz is validated through decompression; a broken stream is invalid-gzip.</summary>
public class GzipValidationTests
{
    private static readonly byte[] Csv = Movies(Enumerable.Range(0, 3000).Select(i => MovieRow(("id", $"tt{i + 1000000:D7}"))).ToArray());

    internal static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, level, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }

    private static Task<ValidationResult> ValidateGzip(byte[] stored, int readSize = 64 * 1024) =>
        CsvValidator.ValidateAsync(new ChunkedStream(stored, readSize), ContentEncoding.Gzip, Options());

    private static void AssertStoredFacts(byte[] stored, ValidationResult result)
    {
        Assert.Equal("gzip", result.Compression);
        Assert.Equal(stored.Length, result.Bytes);
        Assert.Equal(StoredDigestsTests.Crc64NvmeBase64(stored), result.Crc64Nvme);
        Assert.Null(result.Sha256);
    }

    private static ValidationError InvalidGzip(ValidationResult result)
    {
        Assert.False(result.Accepted);
        Assert.Equal(1, result.ErrorCount);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.InvalidGzip, error.Code);
        return error;
    }

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(7)] // tiny reads: headers, bodies and trailers straddle every buffer boundary
    public async Task A_gzip_file_is_validated_as_its_csv_and_described_as_stored(int readSize)
    {
        var stored = Gzip(Csv);
        var plain = Whole(Csv);
        var result = await ValidateGzip(stored, readSize);
        Assert.True(result.Accepted);
        Assert.Equal("Movies", result.Dataset);
        Assert.Equal(plain.Rows, result.Rows);
        Assert.Equal(Csv.Length, result.UncompressedBytes);
        AssertStoredFacts(stored, result);
    }

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(13)]
    public async Task Concatenated_members_are_one_file(int readSize)
    {
        // Split mid-line on purpose: members are byte streams, lines may span them.
        var cuts = new[] { 0, 1000, Csv.Length / 2 + 17, Csv.Length };
        var stored = cuts.Zip(cuts.Skip(1)).SelectMany(c => Gzip(Csv[c.First..c.Second], CompressionLevel.Fastest)).ToArray();
        var result = await ValidateGzip(stored, readSize);
        Assert.True(result.Accepted, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal(Whole(Csv).Rows, result.Rows);
        Assert.Equal(Csv.Length, result.UncompressedBytes);
        AssertStoredFacts(stored, result);
    }

    [Fact]
    public async Task Optional_header_fields_are_skipped()
    {
        var gz = Gzip(Csv);
        // FEXTRA (4 bytes) + FNAME + FCOMMENT + FHCRC, inserted after the fixed 10-byte header.
        var extra = new byte[] { 4, 0, 1, 2, 3, 4 }.Concat("movies.csv\0"u8.ToArray()).Concat("a comment\0"u8.ToArray()).ToArray();
        var header = gz[..10];
        header[3] = 0x04 | 0x08 | 0x10 | 0x02;
        var crc16 = (ushort)System.IO.Hashing.Crc32.HashToUInt32([.. header, .. extra]); // FHCRC covers every header byte before it
        var stored = header.Concat(extra).Concat(new[] { (byte)crc16, (byte)(crc16 >> 8) }).Concat(gz[10..]).ToArray();
        var result = await ValidateGzip(stored, 5);
        Assert.True(result.Accepted);
        AssertStoredFacts(stored, result);
    }

    [Fact]
    public async Task Errors_in_the_content_are_reported_with_content_lines_and_offsets()
    {
        var csv = Movies(MovieRow(), MovieRow(("notaMedia", "7,5")));
        var result = await ValidateGzip(Gzip(csv));
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.InvalidValue, error.Code);
        Assert.Equal(3, error.Line);
        Assert.Equal(ValidatorTests.FieldOffset(csv, 3, 6), error.ByteOffset);
    }

    [Theory]
    [InlineData(2)]   // cut in the body
    [InlineData(-4)]  // the size of the trailer missing
    [InlineData(-8)]  // the whole trailer missing
    public async Task A_truncated_stream_is_invalid_gzip(int cut)
    {
        var gz = Gzip(Csv);
        var stored = cut > 0 ? gz[..(gz.Length / cut)] : gz[..(gz.Length + cut)];
        var result = await ValidateGzip(stored);
        var error = InvalidGzip(result);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Equal(stored.Length, error.ByteOffset);
        AssertStoredFacts(stored, result);
    }

    [Fact]
    public async Task A_damaged_crc_is_invalid_gzip()
    {
        var stored = Gzip(Csv);
        stored[^6] ^= 0xFF;
        var error = InvalidGzip(await ValidateGzip(stored));
        Assert.Contains("CRC-32", error.Message, StringComparison.Ordinal);
        Assert.Equal(stored.Length - 8, error.ByteOffset);
    }

    [Fact]
    public async Task Corrupt_compressed_data_is_invalid_gzip_with_an_offset_at_or_after_the_damage()
    {
        var stored = Gzip(Csv);
        var damage = stored.Length / 3;
        for (var i = 0; i < 64; i++)
            stored[damage + i] = 0xFF;
        var result = await ValidateGzip(stored);
        var error = InvalidGzip(result);
        Assert.InRange(error.ByteOffset, damage, stored.Length);
        AssertStoredFacts(stored, result);
    }

    [Fact]
    public async Task A_plain_csv_named_csv_gz_is_invalid_gzip_at_byte_0()
    {
        var result = await ValidateGzip(Csv);
        var error = InvalidGzip(result);
        Assert.Equal(0, error.ByteOffset);
        Assert.Contains("not a gzip stream", error.Message, StringComparison.Ordinal);
        AssertStoredFacts(Csv, result);
    }

    [Fact]
    public async Task An_empty_object_is_invalid_gzip()
    {
        var error = InvalidGzip(await ValidateGzip([]));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trailing_bytes_after_the_last_member_are_invalid_gzip_at_their_offset()
    {
        var gz = Gzip(Csv);
        var stored = gz.Concat("not gzip"u8.ToArray()).ToArray();
        var error = InvalidGzip(await ValidateGzip(stored));
        Assert.Equal(gz.Length, error.ByteOffset);
        Assert.Contains("trailing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_file_reports_no_compression_and_its_own_size_uncompressed()
    {
        var result = await CsvValidator.ValidateAsync(new MemoryStream(Csv), Options());
        Assert.Equal("none", result.Compression);
        Assert.Equal(Csv.Length, result.Bytes);
        Assert.Equal(Csv.Length, result.UncompressedBytes);
    }

    [Theory]
    [InlineData("landing/movies.csv.gz", ContentEncoding.Gzip)]
    [InlineData("landing/movies.csv", ContentEncoding.None)]
    [InlineData("landing/movies.gz", ContentEncoding.None)]
    [InlineData("landing/movies.CSV.GZ", ContentEncoding.Gzip)]
    [InlineData("landing/movies.csv.GZ", ContentEncoding.Gzip)]
    [InlineData("landing/movies.Csv.Gz", ContentEncoding.Gzip)]
    [InlineData("landing/movies.CSV", ContentEncoding.None)]
    public void The_name_says_what_a_file_is(string key, ContentEncoding expected)
    {
        Assert.Equal(expected, ContentEncodings.FromName(key));
        Assert.Equal(!key.EndsWith(".gz", StringComparison.Ordinal) || expected == ContentEncoding.Gzip, ContentEncodings.IsIngestedName(key));
    }

    /// <summary>What <c>gzip -c &lt;/dev/null</c> writes: a 10-byte header, the 2-byte empty deflate block, a zero CRC-32 and size.</summary>
    private static readonly byte[] EmptyMember = Convert.FromHexString("1f8b080000000000000303000000000000000000");

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(3)]
    public async Task An_empty_member_after_the_content_is_valid(int readSize)
    {
        Assert.Equal(20, EmptyMember.Length);
        var stored = Gzip(Csv).Concat(EmptyMember).ToArray();
        var result = await ValidateGzip(stored, readSize);
        Assert.True(result.Accepted, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal(Whole(Csv).Rows, result.Rows);
        AssertStoredFacts(stored, result);
    }

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(5)]
    public async Task An_empty_member_between_members_does_not_stop_validation(int readSize)
    {
        var half = Csv.Length / 2;
        var stored = Gzip(Csv[..half]).Concat(EmptyMember).Concat(EmptyMember).Concat(Gzip(Csv[half..])).ToArray();
        var result = await ValidateGzip(stored, readSize);
        Assert.True(result.Accepted, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal(Whole(Csv).Rows, result.Rows);
        Assert.Equal(Csv.Length, result.UncompressedBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_file_of_empty_members_only_is_an_empty_file(int members)
    {
        var stored = Enumerable.Repeat(EmptyMember, members).SelectMany(m => m).ToArray();
        var result = await ValidateGzip(stored);
        Assert.False(result.Accepted);
        Assert.Equal(ErrorCodes.EmptyFile, Assert.Single(result.Errors).Code);
        AssertStoredFacts(stored, result);
    }

    [Fact]
    public async Task Garbage_after_an_empty_member_is_still_trailing_garbage_at_its_offset()
    {
        var gz = Gzip(Csv).Concat(EmptyMember).ToArray();
        var stored = gz.Concat(new byte[] { 0, 0, 0 }).ToArray();
        var error = InvalidGzip(await ValidateGzip(stored));
        Assert.Equal(gz.Length, error.ByteOffset);
        Assert.Contains("trailing", error.Message, StringComparison.Ordinal);
    }

    /// <summary>RFC 1952: FHCRC is the low 16 bits of the CRC-32 of the header bytes before it.</summary>
    private static byte[] WithHeaderCrc(byte[] gz, bool correct)
    {
        var header = gz[..10];
        header[3] |= 0x02;
        var crc = (ushort)System.IO.Hashing.Crc32.HashToUInt32(header);
        if (!correct)
            crc ^= 0x0101;
        return [.. header, (byte)crc, (byte)(crc >> 8), .. gz[10..]];
    }

    [Fact]
    public async Task A_header_crc_that_matches_is_accepted()
    {
        var stored = WithHeaderCrc(Gzip(Csv), correct: true);
        var result = await ValidateGzip(stored, 3);
        Assert.True(result.Accepted, string.Join("; ", result.Errors.Select(e => e.Message)));
    }

    [Fact]
    public async Task A_header_crc_that_does_not_match_is_invalid_gzip()
    {
        var stored = WithHeaderCrc(Gzip(Csv), correct: false);
        var error = InvalidGzip(await ValidateGzip(stored, 3));
        Assert.Equal(10, error.ByteOffset);
        Assert.Contains("header CRC", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream that answers reads with at most <c>readSize</c> bytes, as a network stream may.</summary>
    private sealed class ChunkedStream(byte[] data, int readSize) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, readSize));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, readSize)]);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, readSize)], cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, readSize), cancellationToken);
    }
}
