using System.Security.Cryptography;
using System.Text;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

public class ValidatorTests
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

    [Theory]
    [InlineData(14)]
    [InlineData(16)]
    public void A_row_with_the_wrong_number_of_fields_is_field_count_only(int fields)
    {
        var row = string.Join('|', MovieRow(("anoLancamento", "bad")).Split('|').Concat(["extra"]).Take(fields));
        var data = Movies(MovieRow(), row);
        var e = Single(Check(data), ErrorCodes.FieldCount);
        Assert.Equal(3, e.Line);
        Assert.Equal("", e.Column);
        Assert.Equal(FieldOffset(data, 3, 0), e.ByteOffset);
        Assert.Contains($"Expected 15 fields (Movies), found {fields}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_line_is_a_field_count_error()
    {
        var e = Single(Check(Movies(MovieRow(), "", MovieRow())), ErrorCodes.FieldCount);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Invalid_utf8_is_located_to_the_byte()
    {
        var prefix = Encoding.UTF8.GetBytes(MoviesHeader + "\n" + MovieRow() + "\ntt0000001|Agn");
        var data = prefix.Concat(new byte[] { 0xE8 }).Concat(Encoding.UTF8.GetBytes("s|B|1898|111|Drama|7.5|41|actress|P|N|\\N|\\N|actress|tt28568770\n")).ToArray();
        var e = Single(Check(data), ErrorCodes.InvalidUtf8);
        Assert.Equal(3, e.Line);
        Assert.Equal(prefix.Length, e.ByteOffset);
        Assert.Equal("tituloPincipal", e.Column);
        Assert.Contains("\\xE8", e.Excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_and_overlong_utf8_sequences_are_invalid()
    {
        foreach (var bad in new[] { new byte[] { 0xC3 }, [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF] })
        {
            var data = Encoding.UTF8.GetBytes(MoviesHeader + "\n" + MovieRow(("personagem", "X")) + "\n").ToList();
            var at = FieldOffset([.. data], 2, 9);
            data.InsertRange((int)at, bad);
            var e = Single(Check([.. data]), ErrorCodes.InvalidUtf8);
            Assert.Equal(at, e.ByteOffset);
        }
    }

    [Fact]
    public void A_nul_byte_is_reported_where_it_is()
    {
        var data = Movies(MovieRow(("personagem", "Pa\0ulo")));
        var e = Single(Check(data), ErrorCodes.NulByte);
        Assert.Equal(2, e.Line);
        Assert.Equal("personagem", e.Column);
        Assert.Equal(FieldOffset(data, 2, 9) + 2, e.ByteOffset);
        Assert.Contains("\\0", e.Excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nul_in_a_typed_field_is_not_also_an_invalid_value()
    {
        var e = Single(Check(Movies(MovieRow(("anoLancamento", "19\08")))), ErrorCodes.NulByte);
        Assert.Equal("anoLancamento", e.Column);
    }

    [Fact]
    public void A_carriage_return_not_before_lf_is_bare_cr()
    {
        var data = Movies(MovieRow(("tituloOriginal", "Half\rway")));
        var e = Single(Check(data), ErrorCodes.BareCr);
        Assert.Equal(2, e.Line);
        Assert.Equal("tituloOriginal", e.Column);
        Assert.Equal(FieldOffset(data, 2, 2) + 4, e.ByteOffset);

        var atEnd = Encoding.UTF8.GetBytes(MoviesHeader + "\n" + MovieRow() + "\r");
        var end = Single(Check(atEnd), ErrorCodes.BareCr);
        Assert.Equal(atEnd.Length - 1, end.ByteOffset);

        var doubled = Single(Check(Encoding.UTF8.GetBytes(MoviesHeader + "\n" + MovieRow() + "\r\r\n")), ErrorCodes.BareCr);
        Assert.Equal(2, doubled.Line);
    }

    [Fact]
    public void A_line_over_the_maximum_is_line_too_long_and_the_rest_is_still_checked()
    {
        var longTitle = new string('x', 400);
        var data = Movies(MovieRow(), MovieRow(("tituloPincipal", longTitle)), MovieRow(("anoLancamento", "99")));
        var r = Check(data, Options(maxLineBytes: 300));
        Assert.Equal(2, r.ErrorCount);
        var tooLong = r.Errors[0];
        Assert.Equal((ErrorCodes.LineTooLong, 3L, FieldOffset(data, 3, 0)), (tooLong.Code, tooLong.Line, tooLong.ByteOffset));
        Assert.Contains("300 bytes", tooLong.Message, StringComparison.Ordinal);
        var next = r.Errors[1];
        Assert.Equal((ErrorCodes.InvalidValue, 4L, "anoLancamento"), (next.Code, next.Line, next.Column));
        Assert.Equal(3, r.Rows);
    }

    [Fact]
    public void A_line_exactly_at_the_maximum_is_allowed_with_either_ending()
    {
        var row = MovieRow(("tituloPincipal", new string('t', 300)));
        var max = Encoding.UTF8.GetByteCount(row);
        var options = Options(maxLineBytes: max);
        Assert.True(Check(Encoding.UTF8.GetBytes(MoviesHeader + "\r\n" + row + "\r\n"), options).Accepted);
        Assert.True(Check(Encoding.UTF8.GetBytes(MoviesHeader + "\n" + row), options).Accepted);
        var over = Check(Encoding.UTF8.GetBytes(MoviesHeader + "\n" + row + "x\n"), Options(maxLineBytes: max));
        Assert.Equal(ErrorCodes.LineTooLong, Assert.Single(over.Errors).Code);
    }

    [Fact]
    public void A_too_long_last_line_without_terminator_is_reported()
    {
        var data = Encoding.UTF8.GetBytes(MoviesHeader + "\n" + MovieRow() + "\n" + new string('y', 500));
        var r = Check(data, Options(maxLineBytes: 300));
        var e = Single(r, ErrorCodes.LineTooLong);
        Assert.Equal(3, e.Line);
        Assert.Equal(2, r.Rows);
    }

    [Fact]
    public void A_too_long_header_is_line_too_long()
    {
        var r = Check(Encoding.UTF8.GetBytes(MoviesHeader + "\n" + MovieRow() + "\n"), Options(maxLineBytes: 50));
        Assert.Equal(ErrorCodes.LineTooLong, r.Errors[0].Code);
        Assert.Equal(1, r.Errors[0].Line);
        Assert.Null(r.Dataset);
    }

    [Theory]
    [InlineData("id", "\\N")]
    [InlineData("tituloPincipal", "\\N")]
    [InlineData("tituloOriginal", "\\N")]
    [InlineData("nomeArtista", "\\N")]
    public void Null_where_not_allowed_is_null_not_allowed(string column, string value)
    {
        var data = Movies(MovieRow(), MovieRow((column, value)));
        var e = Single(Check(data), ErrorCodes.NullNotAllowed);
        Assert.Equal((3L, column), (e.Line, e.Column));
        Assert.Equal(FieldOffset(data, 3, Array.IndexOf(MoviesColumns, column)), e.ByteOffset);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("tituloPincipal")]
    [InlineData("tituloOriginal")]
    [InlineData("nomeArtista")]
    [InlineData("anoLancamento")]
    [InlineData("tempoMinutos")]
    [InlineData("genero")]
    [InlineData("notaMedia")]
    [InlineData("numeroVotos")]
    [InlineData("generoArtista")]
    [InlineData("anoNascimento")]
    [InlineData("anoFalecimento")]
    [InlineData("profissao")]
    [InlineData("titulosMaisConhecidos")]
    public void An_empty_field_is_not_a_null(string column)
    {
        var data = Movies(MovieRow((column, "")));
        var e = Single(Check(data), ErrorCodes.EmptyField);
        Assert.Equal((2L, column), (e.Line, e.Column));
        Assert.Equal(FieldOffset(data, 2, Array.IndexOf(MoviesColumns, column)), e.ByteOffset);
    }

    [Theory]
    [InlineData("personagem", "")]
    [InlineData("personagem", "\\N")]
    [InlineData("anoLancamento", "\\N")]
    [InlineData("tempoMinutos", "\\N")]
    [InlineData("genero", "\\N")]
    [InlineData("notaMedia", "\\N")]
    [InlineData("numeroVotos", "\\N")]
    [InlineData("generoArtista", "\\N")]
    [InlineData("anoNascimento", "\\N")]
    [InlineData("anoFalecimento", "\\N")]
    [InlineData("profissao", "\\N")]
    [InlineData("titulosMaisConhecidos", "\\N")]
    [InlineData("tempoMinutos", "0")]
    [InlineData("tempoMinutos", "5220")]
    [InlineData("numeroVotos", "2954236")]
    [InlineData("notaMedia", "0.0")]
    [InlineData("notaMedia", "10.0")]
    [InlineData("notaMedia", "9.95")]
    [InlineData("generoArtista", "actor")]
    [InlineData("genero", "Sci-Fi")]
    [InlineData("genero", "Drama,Film-Noir,Talk-Show")]
    [InlineData("profissao", "miscellaneous,music_department")]
    [InlineData("profissao", "art director, set decorator")]
    [InlineData("titulosMaisConhecidos", "tt0000001")]
    [InlineData("titulosMaisConhecidos", "tt10872600,tt0120338")]
    [InlineData("id", "tt123456789")]
    [InlineData("tituloPincipal", "\\")]
    [InlineData("tituloPincipal", "N")]
    [InlineData("tituloPincipal", "\\n")]
    [InlineData("nomeArtista", " ")]
    public void Valid_edge_values_are_accepted(string column, string value)
    {
        var r = Check(Movies(MovieRow((column, value))));
        Assert.True(r.Accepted, string.Join("; ", r.Errors.Select(e => $"{e.Column}: {e.Message}")));
    }

    [Theory]
    [InlineData("id", "t1234567", "id")]
    [InlineData("id", "tt123456", "id")]
    [InlineData("id", "nm1234567", "id")]
    [InlineData("id", "tt12345a7", "id")]
    [InlineData("anoLancamento", "189", "year")]
    [InlineData("anoLancamento", "18981", "year")]
    [InlineData("anoNascimento", "19x8", "year")]
    [InlineData("anoFalecimento", "-200", "year")]
    [InlineData("tempoMinutos", "-5", "integer")]
    [InlineData("tempoMinutos", "1.5", "integer")]
    [InlineData("numeroVotos", "1,000", "integer")]
    [InlineData("numeroVotos", "N", "integer")]
    [InlineData("notaMedia", "7,5", "rating")]
    [InlineData("notaMedia", "10.1", "rating")]
    [InlineData("notaMedia", "11.0", "rating")]
    [InlineData("notaMedia", "7", "rating")]
    [InlineData("notaMedia", ".5", "rating")]
    [InlineData("notaMedia", "7.", "rating")]
    [InlineData("notaMedia", "100.0", "rating")]
    [InlineData("genero", "Drama, Music", "list")]
    [InlineData("genero", "Drama ,Music", "list")]
    [InlineData("genero", "Drama,,Music", "list")]
    [InlineData("genero", ",Drama", "list")]
    [InlineData("genero", "Drama,", "list")]
    [InlineData("genero", " Drama", "list")]
    [InlineData("profissao", "actor,,writer", "list")]
    [InlineData("profissao", ",", "list")]
    [InlineData("titulosMaisConhecidos", "tt1234567,", "id list")]
    [InlineData("titulosMaisConhecidos", "tt1234567,nm1234567", "id list")]
    [InlineData("titulosMaisConhecidos", "tt1234567, tt7654321", "id list")]
    [InlineData("generoArtista", "Actor", "actor or actress")]
    [InlineData("generoArtista", "self", "actor or actress")]
    public void A_value_breaking_its_rule_is_invalid_value_naming_the_rule(string column, string value, string rule)
    {
        var data = Movies(MovieRow(), MovieRow(), MovieRow((column, value)));
        var e = Single(Check(data), ErrorCodes.InvalidValue);
        Assert.Equal((4L, column), (e.Line, e.Column));
        Assert.Equal(FieldOffset(data, 4, Array.IndexOf(MoviesColumns, column)), e.ByteOffset);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        Assert.Equal(value, e.Excerpt);
    }

    [Fact]
    public void Every_error_of_a_row_is_reported_in_byte_order()
    {
        var data = Movies(MovieRow(("notaMedia", "7,5"), ("id", "x"), ("generoArtista", "self")));
        var r = Check(data);
        Assert.Equal(["id", "notaMedia", "generoArtista"], r.Errors.Select(e => e.Column));
        Assert.Equal(3, r.ErrorCount);
    }

    [Fact]
    public void A_repeated_bad_field_is_reported_on_every_line()
    {
        // Title columns repeat row after row; an error in them must be found on each row, not only the first.
        var bad = MovieRow(("notaMedia", "7,5"));
        var r = Check(Movies(MovieRow(), bad, bad, MovieRow(("notaMedia", "7,5"), ("nomeArtista", "Other")), MovieRow()));
        Assert.Equal([3L, 4L, 5L], r.Errors.Select(e => e.Line));
        Assert.All(r.Errors, e => Assert.Equal("notaMedia", e.Column));
    }

    [Fact]
    public void A_row_that_repeats_a_valid_title_is_still_checked_past_it()
    {
        var r = Check(Movies(MovieRow(), MovieRow(("anoNascimento", "19x0")), MovieRow(("titulosMaisConhecidos", "tt1,"))));
        Assert.Equal([("anoNascimento", 3L), ("titulosMaisConhecidos", 4L)], r.Errors.Select(e => (e.Column, e.Line)));
    }

    [Fact]
    public void Only_the_first_n_errors_are_listed_but_all_are_counted()
    {
        var rows = Enumerable.Range(0, 25).Select(i => MovieRow(("anoLancamento", "x" + i))).ToArray();
        var r = Check(Movies(rows), Options(maxErrors: 10));
        Assert.Equal(25, r.ErrorCount);
        Assert.Equal(10, r.Errors.Count);
        Assert.Equal(Enumerable.Range(2, 10).Select(l => (long)l), r.Errors.Select(e => e.Line));
    }

    [Fact]
    public async Task A_failing_source_stream_throws_instead_of_giving_a_verdict()
    {
        var data = Movies(Enumerable.Repeat(MovieRow(), 5000).ToArray());
        var ex = await Assert.ThrowsAsync<IOException>(() => CsvValidator.ValidateAsync(new FailingStream(data, failAfter: data.Length / 2)));
        Assert.Contains("connection reset", ex.Message, StringComparison.Ordinal);
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IngestLambda.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("IngestLambda.sln not found above the test assembly.");
    }

    private sealed class FailingStream(byte[] data, int failAfter) : ForwardOnlyStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAfter)
                throw new IOException("connection reset by peer");
            var n = Math.Min(Math.Min(buffer.Length, 1000), failAfter - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }

    /// <summary>A header followed by the same row many times, generated on the fly.</summary>
    internal sealed class RepeatingStream(byte[] header, byte[] row, int rows) : ForwardOnlyStream
    {
        private long _position;
        private readonly long _length = header.Length + ((long)row.Length * rows);

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            while (written < buffer.Length && _position < _length)
            {
                var (source, at) = _position < header.Length
                    ? (header, (int)_position)
                    : (row, (int)((_position - header.Length) % row.Length));
                var n = Math.Min(buffer.Length - written, source.Length - at);
                source.AsSpan(at, n).CopyTo(buffer[written..]);
                written += n;
                _position += n;
            }
            return written;
        }
    }
}

/// <summary>Measures allocations process-wide, so it runs alone.</summary>
[CollectionDefinition(nameof(MemoryMeasurements), DisableParallelization = true)]
public sealed class MemoryMeasurements;

[Collection(nameof(MemoryMeasurements))]
public class ValidatorMemoryTests
{
    [Fact]
    public async Task A_large_stream_is_validated_in_bounded_memory()
    {
        // 64 MiB of rows streamed through the pipe: the engine must not hold the file.
        var row = Encoding.UTF8.GetBytes(MovieRow() + "\n");
        var header = Encoding.UTF8.GetBytes(MoviesHeader + "\n");
        var rows = (64 << 20) / row.Length;
        var stream = new ValidatorTests.RepeatingStream(header, row, rows);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var r = await CsvValidator.ValidateAsync(stream);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(r.Accepted);
        Assert.Equal(rows, r.Rows);
        Assert.True(allocated < 16 << 20, $"allocated {allocated:N0} bytes for a 64 MiB file");
    }

}
