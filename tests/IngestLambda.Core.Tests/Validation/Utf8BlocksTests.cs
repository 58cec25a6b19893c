using System.Text;
using System.Text.Unicode;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// UTF-8 is checked inside the block scan (<see cref="Utf8Blocks"/>), on bit masks, with sequences crossing block
/// boundaries carried over. .NET's <see cref="Utf8.IsValid(ReadOnlySpan{byte})"/> is the oracle: the folded check must
/// agree with it on any bytes, and the engine must report invalid UTF-8 on exactly the lines it rejects.
/// </summary>
public class Utf8BlocksTests
{
    /// <summary>The bytes at the edges of UTF-8's ranges, and ASCII.</summary>
    private static readonly byte[] Edges = [0x00, (byte)'a', 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xC3, 0xDF,
        0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFE, 0xFF];

    [Fact]
    public void The_vector_masks_of_the_full_rules_equal_their_byte_by_byte_definition()
    {
        var random = new Random(5);
        var block = new byte[ByteMasks.BlockBytes];
        for (var round = 0; round < 5000; round++)
        {
            foreach (ref var b in block.AsSpan())
                b = random.Next(4) == 0 ? (byte)random.Next(256) : Edges[random.Next(Edges.Length)];
            Assert.Equal(Utf8Blocks.ClassifyScalar(block), Utf8Blocks.Classify(ref block[0]));
        }
    }

    [Fact]
    public void Block_by_block_it_agrees_with_the_runtime_on_any_bytes()
    {
        var random = new Random(11);
        for (var round = 0; round < 40000; round++)
        {
            var bytes = Text(random, random.Next(0, 300));
            Assert.True(Utf8.IsValid(bytes) == Folded(bytes), $"round {round}: {Convert.ToHexString(bytes)}");
        }
    }

    [Fact]
    public void Sequences_are_followed_across_every_block_boundary()
    {
        // Each sequence placed so that it ends at, or straddles, the boundary between two blocks.
        string[] sequences = ["é", "€", "😀", "\U0010FFFF", "\uD7FF", "\uE000"];
        foreach (var sequence in sequences)
        {
            var encoded = Encoding.UTF8.GetBytes(sequence);
            for (var at = ByteMasks.BlockBytes - encoded.Length - 1; at <= ByteMasks.BlockBytes + 1; at++)
            {
                var bytes = Enumerable.Repeat((byte)'a', 2 * ByteMasks.BlockBytes).ToArray();
                encoded.CopyTo(bytes, at);
                Assert.True(Folded(bytes), $"{sequence} at {at}");
                for (var cut = 1; cut < encoded.Length; cut++)
                {
                    var truncated = (byte[])bytes.Clone();
                    truncated[at + cut] = (byte)'a'; // the sequence stops early
                    Assert.False(Folded(truncated), $"{sequence} cut after {cut} at {at}");
                }
            }
        }
    }

    [Fact]
    public void The_engine_reports_invalid_utf8_on_exactly_the_lines_the_runtime_rejects()
    {
        var random = new Random(3);
        for (var file = 0; file < 40; file++)
        {
            var names = Enumerable.Range(0, 60).Select(_ => Text(random, random.Next(1, 90))
                .Where(b => b is not ((byte)'|' or (byte)'\n' or (byte)'\r' or 0)).ToArray()).ToArray();
            var data = new List<byte>(Encoding.UTF8.GetBytes(MoviesHeader + "\n"));
            foreach (var name in names)
            {
                var row = MovieRow(("nomeArtista", "@"));
                var at = row.IndexOf('@');
                data.AddRange(Encoding.UTF8.GetBytes(row[..at]));
                data.AddRange(name.Length == 0 ? "x"u8.ToArray() : name);
                data.AddRange(Encoding.UTF8.GetBytes(row[(at + 1)..] + "\n"));
            }
            var result = ValidatorTests.Check([.. data], Options(maxErrors: 1000));
            var expected = names.Select((n, i) => (Valid: Utf8.IsValid(n), Line: i + 2)).Where(x => !x.Valid).Select(x => (long)x.Line);
            Assert.Equal(expected, result.Errors.Where(e => e.Code == ErrorCodes.InvalidUtf8).Select(e => e.Line));
        }
    }

    /// <summary>What the scan does: 64-byte blocks, the last padded with spaces, then nothing left inside a sequence.</summary>
    private static bool Folded(byte[] bytes)
    {
        var utf8 = new Utf8Blocks();
        for (var i = 0; i < bytes.Length; i += ByteMasks.BlockBytes)
        {
            var block = Enumerable.Repeat((byte)' ', ByteMasks.BlockBytes).ToArray();
            bytes.AsSpan(i, Math.Min(ByteMasks.BlockBytes, bytes.Length - i)).CopyTo(block);
            if (!utf8.Accept(ref block[0], ByteMasks.ClassifyScalar(block).HighBits))
                return false;
        }
        return !utf8.InsideSequence;
    }

    /// <summary>Mostly valid UTF-8 (code points of every length, near the edges of the ranges), with some stray bytes.</summary>
    private static byte[] Text(Random random, int length)
    {
        int[] codePoints = ['a', ' ', 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F3AC, 0x10FFFF];
        var bytes = new List<byte>();
        while (bytes.Count < length)
        {
            switch (random.Next(10))
            {
                case 0: bytes.Add(Edges[random.Next(Edges.Length)]); break;
                case 1: bytes.Add((byte)random.Next(256)); break;
                default:
                    var codePoint = random.Next(3) == 0 ? codePoints[random.Next(codePoints.Length)] : random.Next(0x20, 0x3000);
                    if (codePoint is >= 0xD800 and <= 0xDFFF)
                        codePoint = 'x';
                    bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(codePoint)));
                    break;
            }
        }
        return [.. bytes];
    }
}
