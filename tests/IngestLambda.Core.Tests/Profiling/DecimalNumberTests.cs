using System.Globalization;
using System.Text;
using IngestLambda.Core.Profiling;

namespace IngestLambda.Core.Tests.Profiling;

/// <summary>The profile's fast number reading gives what the general parser gives, and refuses what is no number.</summary>
public class DecimalNumberTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("7.5")]
    [InlineData("10.0")]
    [InlineData("-3.25")]
    [InlineData("1999")]
    [InlineData("123456789012345")]
    [InlineData("12345678901234567")] // past the fast path's 15 digits
    [InlineData("1e3")]
    [InlineData("0.1")]
    public void A_number_reads_as_the_general_parser_reads_it(string text)
    {
        Assert.True(DecimalNumber.TryParse(Encoding.ASCII.GetBytes(text), out var number));
        Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), number);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("12a")]
    [InlineData("")]
    public void Text_that_is_no_number_is_refused(string text) =>
        Assert.False(DecimalNumber.TryParse(Encoding.ASCII.GetBytes(text), out _));
}
