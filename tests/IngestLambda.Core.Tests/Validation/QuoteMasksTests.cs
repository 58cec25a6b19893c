using System.Text;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// The quote state 64 bytes at a time (<see cref="QuoteMasks"/>) against its byte-by-byte definition
/// (<see cref="QuoteWalker"/>): inside-quote bits, stray quotes, the state carried between blocks, and record ends.
/// </summary>
public class QuoteMasksTests
{
    private static readonly byte[] Alphabet = "\"\",,\n\nab\r ".Select(c => (byte)c).ToArray();

    [Fact]
    public void The_prefix_xor_by_carry_less_multiply_equals_the_shift_cascade_and_the_definition()
    {
        var random = new Random(1);
        for (var round = 0; round < 10000; round++)
        {
            var mask = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
            ulong expected = 0, parity = 0;
            for (var bit = 0; bit < 64; bit++)
            {
                parity ^= (mask >> bit) & 1;
                expected |= parity << bit;
            }
            Assert.Equal(expected, QuoteMasks.PrefixXor(mask));
            Assert.Equal(expected, QuoteMasks.PrefixXorShifts(mask));
        }
    }

    [Fact]
    public void Blocks_resolve_like_the_byte_by_byte_walk_whatever_state_they_start_in()
    {
        var random = new Random(2);
        for (var round = 0; round < 20000; round++)
        {
            var bytes = new byte[64 * random.Next(1, 4)];
            foreach (ref var b in bytes.AsSpan())
                b = Alphabet[random.Next(Alphabet.Length)];
            var walker = new QuoteWalker((byte)',', (byte)'"');
            var carry = QuoteCarry.RecordStart;
            for (var block = 0; block < bytes.Length; block += 64)
            {
                var span = bytes.AsSpan(block, 64);
                var classes = ByteMasks.ClassifyScalar(span, (byte)',');
                var quotes = QuoteMasks.OfScalar(span, (byte)'"');
                var inside = QuoteMasks.Resolve(ref quotes, classes.Delimiters, classes.LineFeeds, ref carry, out var stray);
                for (var k = 0; k < 64; k++)
                {
                    var kind = walker.Next(span[k]);
                    var bit = 1UL << k;
                    var where = $"round {round}, byte {block + k} of '{Encoding.ASCII.GetString(bytes).ReplaceLineEndings("⏎")}'";
                    Assert.True(((inside & bit) != 0) == walker.InQuote, where); // an opening quote is inside, a closing one outside
                    Assert.True(((stray & bit) != 0) == (kind == QuoteWalker.Kind.Stray), where);
                    Assert.True(((quotes & bit) != 0) == (kind is QuoteWalker.Kind.Opening or QuoteWalker.Kind.Closing), where);
                }
                Assert.Equal(walker.InQuote, carry.IsInQuote);
            }
        }
    }

    [Fact]
    public void A_record_end_is_the_first_line_feed_outside_quotes_in_any_cut()
    {
        var random = new Random(3);
        for (var round = 0; round < 5000; round++)
        {
            var bytes = new byte[random.Next(1, 300)];
            foreach (ref var b in bytes.AsSpan())
                b = Alphabet[random.Next(Alphabet.Length)];
            var walker = new QuoteWalker((byte)',', (byte)'"');
            var expectedEnd = -1;
            long expectedQuotedFeeds = 0;
            for (var k = 0; k < bytes.Length && expectedEnd < 0; k++)
            {
                var kind = walker.Next(bytes[k]);
                if (kind == QuoteWalker.Kind.LineFeed)
                    expectedEnd = k;
                else if (kind == QuoteWalker.Kind.Data && bytes[k] == (byte)'\n')
                    expectedQuotedFeeds++;
            }

            // Found across two cuts, carrying the state, as the engine does with a record that spans segments.
            var cut = random.Next(bytes.Length + 1);
            var carry = QuoteCarry.RecordStart;
            long quotedFeeds = 0;
            var end = QuoteMasks.FindRecordEnd(bytes.AsSpan(0, cut), (byte)',', (byte)'"', ref carry, ref quotedFeeds);
            if (end < 0)
            {
                end = QuoteMasks.FindRecordEnd(bytes.AsSpan(cut), (byte)',', (byte)'"', ref carry, ref quotedFeeds);
                end = end < 0 ? -1 : cut + end;
            }
            Assert.True(expectedEnd == end, $"round {round}, cut {cut}: end {end}, expected {expectedEnd}");
            Assert.Equal(expectedQuotedFeeds, quotedFeeds);
        }
    }
}
