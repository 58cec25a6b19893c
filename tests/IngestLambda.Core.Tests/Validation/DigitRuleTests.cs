using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// The digit rules count 8 digits at a time in one 64-bit word: a non-digit at any position, including bytes whose
/// "+6" carries into the next byte (0xFA..0xFF) and the bytes just outside '0'..'9', must be found exactly.
/// </summary>
public class DigitRuleTests
{
    private static readonly byte[] NonDigits = [(byte)'/', (byte)':', (byte)'?', (byte)' ', (byte)'a', (byte)',', 0x20, 0x7F, 0x80, 0xC3, 0xF9, 0xFA, 0xFF];

    private static CompiledColumn Column(ColumnRule rule) => new(new ColumnSchema { Name = "c", Rule = rule });

    [Fact]
    public void A_whole_number_is_valid_only_when_every_byte_is_a_digit()
    {
        var column = Column(ColumnRule.WholeNumber);
        for (var length = 1; length <= 24; length++)
        {
            var digits = Enumerable.Range(0, length).Select(i => (byte)('0' + (i * 7 % 10))).ToArray();
            Assert.Null(column.CheckValue(digits));
            for (var at = 0; at < length; at++)
            {
                foreach (var bad in NonDigits)
                {
                    var field = (byte[])digits.Clone();
                    field[at] = bad;
                    Assert.Equal(ErrorCodes.InvalidValue, column.CheckValue(field));
                }
            }
        }
    }

    [Theory]
    [InlineData("tt1234567", true)]
    [InlineData("tt12345678", true)]
    [InlineData("tt1234567,tt7654321", true)]
    [InlineData("tt12345678,tt1234567,tt123456789012", true)]
    [InlineData("tt123456", false)]
    [InlineData("tt1234567,tt123456", false)]
    [InlineData("tt1234567:tt1234567", false)]
    [InlineData("tt1234567,", false)]
    [InlineData("tt12345\u00ff7", false)]
    public void Id_lists_need_tt_and_seven_or_more_digits_per_id(string field, bool valid)
    {
        var bytes = System.Text.Encoding.Latin1.GetBytes(field);
        Assert.Equal(valid ? null : ErrorCodes.InvalidValue, Column(ColumnRule.IdList).CheckValue(bytes));
    }
}
