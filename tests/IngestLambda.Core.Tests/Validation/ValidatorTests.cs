using System.Security.Cryptography;
using System.Text;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

public partial class ValidatorTests
{
    /// <summary>
    /// Validates in every way the engine can be fed (whole, 1-byte segments, random segments, streamed through the
    /// pipe in tiny reads), requires identical results, and returns one of them.
    /// </summary>
    internal static ValidationResult Check(byte[] data, ValidationOptions? options = null)
    {
        options ??= Options();
        var whole = Whole(data, options);
        AssertSame(whole, Segmented(data, Ones(), options), "1-byte segments");
        for (var seed = 1; seed <= 3; seed++)
            AssertSame(whole, Segmented(data, RandomSizes(seed, 97), options), $"random segments, seed {seed}");
        AssertSame(whole, Streamed(data, 1, options).GetAwaiter().GetResult(), "stream, 1-byte reads");
        AssertSame(whole, Streamed(data, 4096, options).GetAwaiter().GetResult(), "stream, 4 KiB reads");
        return whole;
    }

    internal static void AssertSame(ValidationResult expected, ValidationResult actual, string how)
    {
        Assert.True(expected.Accepted == actual.Accepted, $"{how}: accepted differs");
        Assert.True(expected.Dataset == actual.Dataset, $"{how}: dataset differs");
        Assert.True(expected.Rows == actual.Rows, $"{how}: rows {actual.Rows} != {expected.Rows}");
        Assert.True(expected.Bytes == actual.Bytes, $"{how}: bytes differ");
        Assert.True(expected.Crc64Nvme == actual.Crc64Nvme, $"{how}: crc64nvme differs");
        Assert.True(expected.Sha256 == actual.Sha256, $"{how}: sha256 differs");
        Assert.True(expected.LineEnding == actual.LineEnding, $"{how}: line ending {actual.LineEnding} != {expected.LineEnding}");
        Assert.True(expected.Bom == actual.Bom, $"{how}: bom differs");
        Assert.True(expected.ErrorCount == actual.ErrorCount, $"{how}: error count {actual.ErrorCount} != {expected.ErrorCount}");
        Assert.True(expected.ErrorCountCapped == actual.ErrorCountCapped, $"{how}: capped {actual.ErrorCountCapped} != {expected.ErrorCountCapped}");
        Assert.Equal(expected.Errors, actual.Errors);
    }

    /// <summary>The byte offset of field <paramref name="field"/> (0-based) on line <paramref name="line"/> (1-based), computed independently.</summary>
    internal static long FieldOffset(byte[] data, int line, int field)
    {
        var offset = 0;
        for (var l = 1; l < line; l++)
            offset = Array.IndexOf(data, (byte)'\n', offset) + 1;
        for (var f = 0; f < field; f++)
            offset = Array.IndexOf(data, (byte)'|', offset) + 1;
        return offset;
    }

    private static ValidationError Single(ValidationResult result, string code)
    {
        Assert.False(result.Accepted);
        var error = Assert.Single(result.Errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(1, result.ErrorCount);
        return error;
    }

    [Fact]
    public void A_valid_file_is_accepted_with_rows_bytes_and_checksum()
    {
        var data = Movies(MovieRow(), MovieRow(("id", "tt1234567")), MovieRow(("id", "tt12345678")));
        var r = Check(data);
        Assert.True(r.Accepted, string.Join("; ", r.Errors.Select(e => e.Message)));
        Assert.Equal("accepted", r.Outcome);
        Assert.Equal("Movies", r.Dataset);
        Assert.Equal(3, r.Rows);
        Assert.Equal(data.Length, r.Bytes);
        Assert.Equal(StoredDigestsTests.Crc64NvmeBase64(data), r.Crc64Nvme);
        Assert.Null(r.Sha256); // opt-in: INTEGRITY_SHA256
        Assert.Equal("LF", r.LineEnding);
        Assert.False(r.Bom);
        Assert.Empty(r.Errors);
    }

    [Fact]
    public void With_sha256_asked_every_way_of_feeding_gives_the_sha256_of_the_stored_bytes()
    {
        var data = Movies(MovieRow(), MovieRow(("id", "tt1234567")));
        var r = Check(data, Options() with { Sha256 = true });
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), r.Sha256);
        Assert.Equal(StoredDigestsTests.Crc64NvmeBase64(data), r.Crc64Nvme);
    }

    [Fact]
    public void Series_is_recognised_by_its_header()
    {
        var row = "tt0034559|A Lonely Hunter|A Lonely Hunter|1945|1946|281|Reality-TV|7.3|6|actress|Mother|Donna Núñez|1937|\\N|actress,director|tt1763387";
        var r = Check(Encoding.UTF8.GetBytes(SeriesHeader + "\n" + row + "\n"));
        Assert.True(r.Accepted);
        Assert.Equal("Series", r.Dataset);
        Assert.Equal(1, r.Rows);
    }

    [Fact]
    public async Task The_shipped_samples_are_accepted()
    {
        foreach (var (file, dataset) in new[] { ("movies.csv", "Movies"), ("series.csv", "Series") })
        {
            await using var stream = File.OpenRead(Path.Combine(RepoRoot(), "samples", file));
            var r = await CsvValidator.ValidateAsync(stream);
            Assert.True(r.Accepted, $"{file}: {string.Join("; ", r.Errors.Select(e => $"{e.Line} {e.Code} {e.Message}"))}");
            Assert.Equal(dataset, r.Dataset);
            Assert.Equal(2000, r.Rows);
        }
    }

    [Fact]
    public void Quotes_commas_and_multibyte_text_are_ordinary_characters()
    {
        var data = Movies(
            MovieRow(("tituloPincipal", "\"Crocodile\" Dundee"), ("tituloOriginal", "\"")),
            MovieRow(("tituloPincipal", "Hamlet, Prince of Denmark"), ("personagem", "\"Self\" - Host, \"Narrator")),
            MovieRow(("tituloPincipal", "千と千尋の神隠し"), ("tituloOriginal", "Жили-были 🎬"), ("nomeArtista", "محمد")));
        var r = Check(data);
        Assert.True(r.Accepted, string.Join("; ", r.Errors.Select(e => e.Message)));
        Assert.Equal(3, r.Rows);
    }

    [Fact]
    public void Byte_offsets_count_bytes_not_characters()
    {
        // Multi-byte characters before the bad field shift its byte offset, not its character offset.
        var data = Movies(MovieRow(("tituloPincipal", "千と千尋"), ("tituloOriginal", "🎬🎬"), ("anoLancamento", "19x8")));
        var e = Single(Check(data), ErrorCodes.InvalidValue);
        Assert.Equal(FieldOffset(data, 2, 3), e.ByteOffset);
        Assert.Equal(Encoding.UTF8.GetByteCount(MoviesHeader + "\ntt0000009|千と千尋|🎬🎬|"), e.ByteOffset);
    }

    [Fact]
    public void Utf8_bom_is_accepted_noted_and_counted_in_offsets()
    {
        var data = Encoding.UTF8.GetPreamble().Concat(Movies(MovieRow(), MovieRow(("notaMedia", "7,5")))).ToArray();
        var r = Check(data);
        Assert.True(r.Bom);
        Assert.Equal("Movies", r.Dataset);
        var e = Single(r, ErrorCodes.InvalidValue);
        Assert.Equal(3, e.Line);
        Assert.Equal(FieldOffset(data, 3, 6), e.ByteOffset);
        Assert.True(Check(Encoding.UTF8.GetPreamble().Concat(Movies(MovieRow())).ToArray()).Accepted);
    }

    [Theory]
    [InlineData("\n", "\n", "LF")]
    [InlineData("\r\n", "\r\n", "CRLF")]
    [InlineData("\r\n", "\n", "mixed")]
    public void Line_endings_are_reported(string first, string rest, string expected)
    {
        var text = MoviesHeader + first + MovieRow() + rest + MovieRow() + rest;
        var r = Check(Encoding.UTF8.GetBytes(text));
        Assert.True(r.Accepted, string.Join("; ", r.Errors.Select(e => e.Message)));
        Assert.Equal(expected, r.LineEnding);
        Assert.Equal(2, r.Rows);
    }

    [Fact]
    public void The_last_line_may_lack_a_terminator()
    {
        var r = Check(Encoding.UTF8.GetBytes(MoviesHeader + "\r\n" + MovieRow() + "\r\n" + MovieRow(("genero", "Comedy"))));
        Assert.True(r.Accepted);
        Assert.Equal(2, r.Rows);
        Assert.Equal("CRLF", r.LineEnding);
    }

    [Fact]
    public void An_empty_file_is_empty_file()
    {
        var e = Single(Check([]), ErrorCodes.EmptyFile);
        Assert.Equal(0, e.Line);
        var bomOnly = Check(Encoding.UTF8.GetPreamble());
        Assert.Equal(ErrorCodes.EmptyFile, Assert.Single(bomOnly.Errors).Code);
        Assert.True(bomOnly.Bom);
    }

    [Theory]
    [InlineData("\n", "LF")]
    [InlineData("", "none")]
    public void A_header_without_rows_is_no_data_rows(string ending, string lineEnding)
    {
        var r = Check(Encoding.UTF8.GetBytes(MoviesHeader + ending));
        Single(r, ErrorCodes.NoDataRows);
        Assert.Equal("Movies", r.Dataset);
        Assert.Equal(0, r.Rows);
        Assert.Equal(lineEnding, r.LineEnding);
    }

    [Fact]
    public void An_unknown_header_names_the_closest_schema_and_the_first_differing_column()
    {
        var header = MoviesHeader.Replace("tituloPincipal", "tituloPrincipal", StringComparison.Ordinal);
        var r = Check(Encoding.UTF8.GetBytes(header + "\n" + MovieRow() + "\n"));
        var e = Single(r, ErrorCodes.UnknownHeader);
        Assert.Null(r.Dataset);
        Assert.Equal(1, e.Line);
        Assert.Equal("tituloPincipal", e.Column);
        Assert.Contains("Closest is Movies", e.Message, StringComparison.Ordinal);
        Assert.Contains("column 2 is 'tituloPrincipal', expected 'tituloPincipal'", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, r.Rows); // rows are still counted
    }

    [Fact]
    public void A_header_missing_a_series_column_is_matched_to_series()
    {
        var header = SeriesHeader.Replace("|anoTermino", "", StringComparison.Ordinal).Replace("|tituloOriginal", "", StringComparison.Ordinal);
        var e = Single(Check(Encoding.UTF8.GetBytes(header + "\n")), ErrorCodes.UnknownHeader);
        Assert.Contains("Closest is", e.Message, StringComparison.Ordinal);
        Assert.Equal("tituloOriginal", e.Column);
    }
}
