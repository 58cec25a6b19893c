using System.Text;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// Every error is counted, up to the error-count cap, whatever MAX_REPORTED_ERRORS lists (docs/contracts.md "Cost of
/// bad input"): once the list is full the engine only counts, on a cheaper path, and past the cap it only counts lines
/// (docs/reliability.md, "Worst-case CPU per input byte"). These check those paths against the listing one. The cost
/// itself is measured by `IngestLambda.Benchmarks error-cost`, not here.
/// </summary>
public class ErrorCountingTests
{
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void A_million_empty_lines_are_a_million_field_count_errors(string lineEnd)
    {
        const int lines = 1_000_000;
        var data = Encoding.UTF8.GetBytes(MoviesHeader + lineEnd + string.Concat(Enumerable.Repeat(lineEnd, lines)));

        var result = Whole(data, Options() with { ErrorCountCap = long.MaxValue });

        Assert.False(result.Accepted);
        Assert.Equal(lines, result.Rows);
        Assert.Equal(lines, result.ErrorCount);
        Assert.False(result.ErrorCountCapped);
        Assert.Equal(ValidationOptions.DefaultMaxReportedErrors, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal(ErrorCodes.FieldCount, e.Code));
        Assert.Equal(Enumerable.Range(2, result.Errors.Count).Select(l => (long)l), result.Errors.Select(e => e.Line));
        Assert.Equal(lineEnd == "\n" ? "LF" : "CRLF", result.LineEnding);
    }

    /// <summary>Lines of every kind, valid and broken, in random order: what the fast paths see in a hostile file.</summary>
    private static byte[] MixedFile(Random random, int lines)
    {
        string[] kinds =
        [
            "", "\r", "x", MovieRow(), MovieRow(("id", "")), MovieRow(("notaMedia", "7,5")), new string('|', 14), string.Join('|', Enumerable.Repeat("x", 15)),
            "a\0b", "\0", "a\rb", "\r\r", MovieRow(("nomeArtista", "\0")), "|\r", MovieRow(("tituloPincipal", "a\rb")),
        ];
        var text = new StringBuilder(MoviesHeader).Append('\n');
        for (var i = 0; i < lines; i++)
            text.Append(kinds[random.Next(kinds.Length)]).Append(random.Next(4) == 0 ? "\r\n" : "\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString()).ToList();
        for (var i = 0; i < lines / 50; i++)
            bytes.Insert(random.Next(MoviesHeader.Length + 1, bytes.Count), 0xFF); // invalid UTF-8 here and there
        return [.. bytes];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_count_and_rows_do_not_depend_on_how_many_errors_are_listed(int seed)
    {
        var data = MixedFile(new Random(seed), 400);
        var all = Whole(data, Options(maxErrors: int.MaxValue));
        Assert.True(all.ErrorCount > 300);
        Assert.Equal(all.ErrorCount, all.Errors.Count);
        foreach (var listed in new[] { 0, 1, 100 })
        {
            var counted = ValidatorTests.Check(data, Options(maxErrors: listed));
            Assert.Equal(all.ErrorCount, counted.ErrorCount);
            Assert.Equal(all.Rows, counted.Rows);
            Assert.Equal(all.LineEnding, counted.LineEnding);
            Assert.Equal(all.Errors.Take(listed), counted.Errors);
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 10)]
    [InlineData(3, 100)]
    public void Past_the_cap_only_lines_are_counted_and_the_report_says_so(int seed, int listed)
    {
        var data = MixedFile(new Random(seed), 2000);
        var all = Whole(data, Options(maxErrors: int.MaxValue) with { ErrorCountCap = long.MaxValue });
        Assert.True(all.ErrorCount > 1000);

        // Whole, in 1-byte and random segments and streamed: the same result whichever segment the cap falls in.
        var capped = ValidatorTests.Check(data, Options(maxErrors: listed) with { ErrorCountCap = 200 });

        Assert.True(capped.ErrorCountCapped);
        Assert.Equal(200, capped.ErrorCount);
        Assert.False(capped.Accepted);
        Assert.Equal(all.Rows, capped.Rows);
        Assert.Equal(all.LineEnding, capped.LineEnding);
        Assert.Equal(all.Bytes, capped.Bytes);
        Assert.Equal(all.Errors.Take(listed), capped.Errors);
    }

    [Fact]
    public void A_count_that_stops_short_of_the_cap_is_exact_and_not_capped()
    {
        var data = MixedFile(new Random(4), 400);
        var exact = Whole(data, Options() with { ErrorCountCap = long.MaxValue });
        var result = ValidatorTests.Check(data, Options() with { ErrorCountCap = exact.ErrorCount + 1 });
        Assert.False(result.ErrorCountCapped);
        Assert.Equal(exact.ErrorCount, result.ErrorCount);
        var atCap = ValidatorTests.Check(data, Options() with { ErrorCountCap = exact.ErrorCount });
        Assert.True(atCap.ErrorCountCapped);
        Assert.Equal(exact.ErrorCount, atCap.ErrorCount);
    }

    [Theory]
    [InlineData("x\n")]
    [InlineData("\r\r\n")]
    [InlineData("\xff\r\n")]
    public void A_large_file_of_one_short_error_line_is_capped_with_exact_rows(string escaped)
    {
        var line = Encoding.Latin1.GetBytes(System.Text.RegularExpressions.Regex.Unescape(escaped));
        const int lines = 300_000;
        var crlf = line[^2] == (byte)'\r';
        var data = Encoding.UTF8.GetBytes(MoviesHeader + (crlf ? "\r\n" : "\n")).Concat(Enumerable.Range(0, lines).SelectMany(_ => line)).ToArray();
        var result = Whole(data);
        Assert.True(result.ErrorCountCapped);
        Assert.Equal(ValidationOptions.DefaultErrorCountCap, result.ErrorCount);
        Assert.Equal(lines, result.Rows);
        Assert.Equal(crlf ? "CRLF" : "LF", result.LineEnding);
        Assert.Equal(ValidationOptions.DefaultMaxReportedErrors, result.Errors.Count);
    }

    [Fact]
    public void A_quoted_file_is_counted_to_its_end()
    {
        var movies = Contracts.TestContracts.Quoted("movies.json");
        var schemas = new SchemaCatalog([movies]);
        var header = movies.Header;
        var data = Encoding.UTF8.GetBytes(header + "\n" + string.Concat(Enumerable.Repeat("x\n", 500)));
        var result = ValidatorTests.Check(data, Options() with { Schemas = schemas, ErrorCountCap = 10 });
        Assert.False(result.ErrorCountCapped);
        Assert.Equal(500, result.ErrorCount);
        Assert.Equal(500, result.Rows);
    }
}
