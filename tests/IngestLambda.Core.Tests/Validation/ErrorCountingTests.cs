using System.Text;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// Every error is counted whatever MAX_REPORTED_ERRORS lists (docs/contracts.md): once the list is full the engine
/// only counts, on a cheaper path (docs/reliability.md, "Worst-case CPU per input byte"). These check that counting
/// path against the listing one. The cost itself is measured by `IngestLambda.Benchmarks error-cost`, not here.
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

        var result = Whole(data);

        Assert.False(result.Accepted);
        Assert.Equal(lines, result.Rows);
        Assert.Equal(lines, result.ErrorCount);
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
}
