using System.Text;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>Numbers compare exactly as written, whatever their length, zeros and exponent (<see cref="DecimalText"/>).</summary>
public class DecimalTextTests
{
    private static DecimalText Number(string text) =>
        DecimalText.TryParseNumber(Encoding.ASCII.GetBytes(text), (byte)'.', out var value) ? value : throw new FormatException(text);

    [Theory]
    [InlineData("1", "1.0", 0)]
    [InlineData("100", "1e2", 0)]
    [InlineData("100", "1E+2", 0)]
    [InlineData("0.001", "1e-3", 0)]
    [InlineData("0", "-0.0", 0)]
    [InlineData("000.000", "0e99", 0)]
    [InlineData("10", "9.99999999999999999999", 1)]
    [InlineData("0.1", "0.01", 1)]
    [InlineData("-0.1", "-0.01", -1)]
    [InlineData("-5", "3", -1)]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567891", -1)]
    [InlineData("1.5", "1.49", 1)]
    [InlineData("INF", "1e999999", 1)]
    [InlineData("-INF", "-1e999999", -1)]
    [InlineData("120", "12e1", 0)]
    [InlineData("120.5", "12e1", 1)]
    public void Numbers_compare_by_value(string a, string b, int expected)
    {
        Assert.Equal(expected, Math.Sign(DecimalText.Compare(Number(a), Number(b))));
        Assert.Equal(-expected, Math.Sign(DecimalText.Compare(Number(b), Number(a))));
    }

    [Fact]
    public void Comparisons_agree_with_decimal_on_random_values()
    {
        var random = new Random(5);
        for (var i = 0; i < 20000; i++)
        {
            var a = Math.Round((decimal)(random.NextDouble() * 200 - 100), random.Next(0, 6));
            var b = random.Next(4) == 0 ? a : Math.Round((decimal)(random.NextDouble() * 200 - 100), random.Next(0, 6));
            var textA = a.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var textB = random.Next(2) == 0 ? b.ToString(System.Globalization.CultureInfo.InvariantCulture) : ScientificText(b);
            Assert.True(Math.Sign(a.CompareTo(b)) == Math.Sign(DecimalText.Compare(Number(textA), Number(textB))), $"{textA} vs {textB}");
        }
    }

    private static string ScientificText(decimal value) =>
        (value * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) + "e-3";

    [Theory]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1.5.2")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1 ")]
    [InlineData("0x10")]
    public void Other_spellings_are_not_numbers(string text) =>
        Assert.False(DecimalText.TryParseNumber(Encoding.ASCII.GetBytes(text), (byte)'.', out _));
}
