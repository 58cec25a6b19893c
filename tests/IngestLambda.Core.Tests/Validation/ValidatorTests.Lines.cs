using System.Security.Cryptography;
using System.Text;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

// Framing: field counts, UTF-8, NUL, bare CR and line lengths.
public partial class ValidatorTests
{
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
}
