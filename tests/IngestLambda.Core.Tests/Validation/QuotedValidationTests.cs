using System.Text;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Tests.Contracts;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// Quoted dialects (RFC 4180): delimiters, line breaks and doubled quotes inside quotes are data; a misplaced or
/// unclosed quote is a bad-quote at its line and offset. Every file is fed in every segmentation
/// (<see cref="ValidatorTests.Check"/>) unless it is too big for 1-byte segments.
/// </summary>
public class QuotedValidationTests
{
    internal const string Header = "userId,title,rating,ratedOn,liked";

    internal static readonly DatasetSchema Ratings = TestContracts.Read("""
        { "name": "Ratings", "dialect": { "delimiter": ",", "quoteChar": "\"" },
          "schema": { "missingValues": ["NA"], "fields": [
            { "name": "userId", "type": "integer", "constraints": { "required": true, "minimum": 1 } },
            { "name": "title", "type": "string", "constraints": { "required": true } },
            { "name": "rating", "type": "number", "constraints": { "minimum": 0.5, "maximum": 5 } },
            { "name": "ratedOn", "type": "date" },
            { "name": "liked", "type": "string", "constraints": { "enum": ["yes", "no", "a\"b"] } } ] } }
        """);

    private static ValidationOptions Options(int maxLineBytes = ValidationOptions.DefaultMaxLineBytes) =>
        TestFiles.Options(maxLineBytes) with { Schemas = TestContracts.Catalog(Ratings) };

    private static byte[] File(string body) => Encoding.UTF8.GetBytes(Header + "\n" + body);

    [Fact]
    public void Delimiters_line_breaks_and_doubled_quotes_inside_quotes_are_data()
    {
        var result = ValidatorTests.Check(File(
            "1,\"Hamlet, Prince of Denmark\",4.5,2026-11-26,yes\n" +
            "2,\"He said \"\"hi\"\"\r\nthen left\nfor good\",3,2026-01-02,no\r\n" +
            "3,\"\"\"Crocodile\"\" Dundee\",0.5,NA,\"a\"\"b\"\n" +
            "4,plain,\"5\",\"2026-01-03\",\"yes\"\n"), Options());
        Assert.True(result.Accepted, string.Join("; ", result.Errors.Select(e => $"{e.Line} {e.Column} {e.Message}")));
        Assert.Equal(4, result.Rows);
        Assert.Equal("mixed", result.LineEnding);
    }

    [Fact]
    public void A_doubled_quote_is_read_as_one_wherever_the_record_crosses_64_byte_blocks()
    {
        for (var padding = 0; padding < 140; padding += 3)
        {
            var title = new string('t', padding);
            var result = ValidatorTests.Check(File($"1,\"{title}\",4.5,2026-11-26,\"a\"\"b\"\n2,\"x\"\"{title}\",1,2026-11-26,\"a\"\"b\"\n3,x,1,2026-11-26,\"a\"\"c\"\n"), Options());
            var error = Assert.Single(result.Errors); // only a"c is not in the enum
            Assert.Equal((4L, "liked"), (error.Line, error.Column));
        }
    }

    [Fact]
    public void Lines_after_a_record_with_line_breaks_are_numbered_as_in_the_file()
    {
        var result = ValidatorTests.Check(File("1,\"two\nthree\r\nfour\",4.5,2026-11-26,yes\n2,x,7,2026-11-26,yes\n"), Options());
        var error = Assert.Single(result.Errors);
        Assert.Equal((5L, "rating", ErrorCodes.InvalidValue), (error.Line, error.Column, error.Code));
        Assert.Equal(2, result.Rows);
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_a_bad_quote_and_the_next_lines_are_still_judged()
    {
        var data = File("1,Ham\"let,4.5,2026-11-26,yes\n2,x,9,2026-11-26,yes\n");
        var result = ValidatorTests.Check(data, Options());
        Assert.Equal(
        [
            (2L, "title", Header.Length + 1L + 5, ErrorCodes.BadQuote),
            (3L, "rating", Array.IndexOf(data, (byte)'9'), ErrorCodes.InvalidValue),
        ], result.Errors.Select(e => (e.Line, e.Column, e.ByteOffset, e.Code)));
        Assert.StartsWith("Misplaced quote", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Rows);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_a_bad_quote_at_that_quote()
    {
        var result = ValidatorTests.Check(File("1,\"Ham\"let,4.5,2026-11-26,yes\n"), Options());
        var error = Assert.Single(result.Errors);
        Assert.Equal((2L, "title", Header.Length + 1L + 6, ErrorCodes.BadQuote), (error.Line, error.Column, error.ByteOffset, error.Code));
    }

    [Fact]
    public void A_quote_left_open_at_the_end_of_the_file_is_a_bad_quote_at_its_opening()
    {
        var data = File("1,ok,4.5,2026-11-26,yes\n2,\"never closed,1,2026-01-01,yes\n3,x,1,2026-01-01,yes\n");
        var result = ValidatorTests.Check(data, Options());
        var badQuote = Assert.Single(result.Errors, e => e.Code == ErrorCodes.BadQuote);
        Assert.Equal((3L, "title", (long)Array.IndexOf(data, (byte)'"')), (badQuote.Line, badQuote.Column, badQuote.ByteOffset));
        Assert.Contains("never closed", badQuote.Message, StringComparison.Ordinal);
        Assert.False(result.Accepted);

        var atTheVeryEnd = ValidatorTests.Check(File("1,ok,4.5,2026-11-26,\""), Options());
        Assert.Equal(ErrorCodes.BadQuote, Assert.Single(atTheVeryEnd.Errors).Code);
    }

    [Fact]
    public void An_empty_quoted_field_is_empty_text_and_a_missing_value_is_null_quoted_or_not()
    {
        var result = ValidatorTests.Check(File("1,\"\",4.5,2026-11-26,yes\n2,NA,4.5,2026-11-26,yes\n3,\"NA\",4.5,2026-11-26,yes\n4,x,\"\",2026-11-26,yes\n"), Options());
        Assert.Equal(
        [
            (3L, "title", ErrorCodes.NullNotAllowed),
            (4L, "title", ErrorCodes.NullNotAllowed),
            (5L, "rating", ErrorCodes.EmptyField),
        ], result.Errors.Select(e => (e.Line, e.Column, e.Code)));
    }

    [Fact]
    public void A_carriage_return_inside_quotes_is_data_and_outside_one_that_ends_no_line_is_an_error()
    {
        var inside = ValidatorTests.Check(File("1,\"a\rb\",4.5,2026-11-26,yes\n"), Options());
        Assert.True(inside.Accepted);
        var outside = ValidatorTests.Check(File("1,a\rb,4.5,2026-11-26,yes\n"), Options());
        Assert.Equal(ErrorCodes.BareCr, Assert.Single(outside.Errors).Code);
    }

    [Fact]
    public void A_quoted_header_names_the_dataset()
    {
        var result = ValidatorTests.Check(Encoding.UTF8.GetBytes("\"userId\",\"title\",rating,\"ratedOn\",\"liked\"\n1,x,1,2026-01-01,yes\n"), Options());
        Assert.True(result.Accepted);
        Assert.Equal("Ratings", result.Dataset);
    }

    [Fact]
    public async Task A_quoted_field_of_a_mebibyte_is_read_and_one_past_MAX_LINE_BYTES_is_too_long_and_skipped()
    {
        var big = new StringBuilder("1,\"");
        for (var k = 0; big.Length < 1_000_000; k++)
            big.Append(k % 7 == 0 ? "a, \"\"quoted\"\"\r\nline " : "text, more text ");
        big.Append("\",4.5,2026-11-26,yes\n");
        var bigLines = big.ToString().Count(c => c == '\n') - 1;
        var data = File(big + "2,x,9,2026-11-26,yes\n");
        foreach (var result in new[] { Whole(data, Options()), Segmented(data, RandomSizes(1, 70_000), Options()), await Streamed(data, 4096, Options()) })
        {
            var error = Assert.Single(result.Errors);
            Assert.Equal((3L + bigLines, "rating"), (error.Line, error.Column));
            Assert.Equal(2, result.Rows);
        }

        // The same record with MAX_LINE_BYTES just below its length: too long, skipped to its end through the quotes.
        var recordBytes = Encoding.UTF8.GetByteCount(big.ToString()) - 1;
        foreach (var result in new[] { Whole(data, Options(recordBytes - 1)), Segmented(data, RandomSizes(2, 70_000), Options(recordBytes - 1)),
            await Streamed(data, 4096, Options(recordBytes - 1)) })
        {
            Assert.Equal(
            [
                (2L, "", ErrorCodes.LineTooLong),
                (3L + bigLines, "rating", ErrorCodes.InvalidValue),
            ], result.Errors.Select(e => (e.Line, e.Column, e.Code)));
            Assert.Equal(Header.Length + 1L, result.Errors[0].ByteOffset);
            Assert.Equal(2, result.Rows);
        }
        Assert.DoesNotContain(Whole(data, Options(recordBytes)).Errors, e => e.Code == ErrorCodes.LineTooLong); // exactly at the limit
    }

    [Fact]
    public void Invalid_utf8_inside_a_quoted_field_is_named_in_the_right_field()
    {
        var data = File("1,\"a,b\nc\",4.5,2026-11-26,yes\n2,\"x,\xC3(y\",1,2026-11-26,yes\n".Replace("\xC3", "\u0001", StringComparison.Ordinal));
        data[Array.IndexOf(data, (byte)1)] = 0xC3;
        var result = ValidatorTests.Check(data, Options());
        var error = Assert.Single(result.Errors);
        Assert.Equal((4L, "title", ErrorCodes.InvalidUtf8), (error.Line, error.Column, error.Code));
    }
}
