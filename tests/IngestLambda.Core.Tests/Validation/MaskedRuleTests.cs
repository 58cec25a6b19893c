using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// The engine judges fields from 64-bit words and bit masks (<see cref="CompiledColumn.Check"/>); the byte loops of
/// <see cref="CompiledColumn.CheckValue"/> are the definition. Both must give the same verdict on every field, whatever
/// bytes follow it, for fields short enough for the masks and longer ones.
/// </summary>
public class MaskedRuleTests
{
    private static readonly byte[] Alphabet = [(byte)'t', (byte)'t', (byte)',', (byte)',', (byte)' ', (byte)'0', (byte)'1', (byte)'5', (byte)'9',
        (byte)'.', (byte)'\\', (byte)'N', (byte)'a', (byte)'c', (byte)'r', (byte)'/', (byte)':', (byte)'|', 0xC3, 0xFA, 0xFF, 0];

    private static readonly string[] Seeds = ["tt1234567", "tt12345678,tt1234567", "Drama,Comedy", "actor", "actress", "1999", "12345", "7.5", "10.0", "\\N", ""];

    public static TheoryData<ColumnRule, bool> Rules => new()
    {
        { ColumnRule.Id, false }, { ColumnRule.IdList, false }, { ColumnRule.List, false }, { ColumnRule.List, true },
        { ColumnRule.Year, false }, { ColumnRule.WholeNumber, false }, { ColumnRule.Rating, false },
        { ColumnRule.Enum, false }, { ColumnRule.Text, false },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Every_rule_gives_the_verdict_of_its_definition_whatever_follows_the_field(ColumnRule rule, bool noSpaces)
    {
        var random = new Random((int)rule * 7 + (noSpaces ? 1 : 0));
        foreach (var nullable in new[] { true, false })
        {
            var column = new CompiledColumn(new ColumnSchema
            {
                Name = "c", Rule = rule, Nullable = nullable, NoSpacesAroundCommas = noSpaces, AllowEmpty = nullable,
                Values = rule == ColumnRule.Enum ? ["actor", "actress"] : null,
            });
            for (var round = 0; round < 20000; round++)
            {
                var field = Field(random);
                var text = new byte[random.Next(3) + field.Length + random.Next(80)];
                random.NextBytes(text);
                var start = random.Next(text.Length - field.Length + 1);
                field.CopyTo(text, start);
                var expected = column.CheckValue(field);
                var actual = column.Check(text, start, start + field.Length);
                Assert.True(expected == actual, $"{rule} '{System.Text.Encoding.Latin1.GetString(field)}': definition {expected ?? "valid"}, masked {actual ?? "valid"}");
            }
        }
    }

    /// <summary>A valid-looking seed, sometimes repeated into a long list, with a few bytes changed, cut or added.</summary>
    internal static byte[] Field(Random random)
    {
        var seed = Seeds[random.Next(Seeds.Length)];
        var repeats = random.Next(4) == 0 ? random.Next(1, 8) : 1;
        var bytes = System.Text.Encoding.Latin1.GetBytes(string.Join(',', Enumerable.Repeat(seed, repeats))).ToList();
        for (var edits = random.Next(3); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0: bytes[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                case 1: bytes.RemoveAt(at); break;
                default: bytes.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
            }
        }
        return [.. bytes];
    }
}
