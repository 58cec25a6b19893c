using System.Runtime.Intrinsics;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// Every vector width of the block classifier agrees with its byte-by-byte definition. Widths the CPU does not
/// accelerate run in software here; `make test` runs this project again with DOTNET_EnableAVX512F=0 and with
/// DOTNET_EnableAVX2=0, so the validator's own dispatch (<see cref="ByteMasks.Classify(ref byte)"/>) is exercised
/// on the 512-, 256- and 128-bit hardware paths of an AVX-512 machine. (.NET 10 reads DOTNET_EnableAVX512, not
/// DOTNET_EnableAVX512F, which it ignores; `make test` sets both.)
/// </summary>
public class ByteMasksTests
{
    private static readonly byte[] Interesting = [(byte)'|', (byte)'\n', (byte)'\r', 0, (byte)'a', (byte)',', (byte)'.', (byte)'0', (byte)'9', (byte)'/', (byte)':', (byte)' ', 0x80, 0xC3, 0xFF, (byte)'t'];

    public static TheoryData<int> Widths => [512, 256, 128];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Each_width_classifies_like_the_byte_by_byte_definition(int bits)
    {
        var random = new Random(bits);
        var block = new byte[ByteMasks.BlockBytes];
        for (var round = 0; round < 5000; round++)
        {
            foreach (ref var b in block.AsSpan())
                b = random.Next(3) == 0 ? (byte)random.Next(256) : Interesting[random.Next(Interesting.Length)];
            var delimiter = (byte)"|,;\t a"[round % 6]; // any ASCII byte but CR, LF and NUL may delimit
            Assert.Equal(ByteMasks.ClassifyScalar(block, delimiter), ByteMasks.Classify(block, bits, delimiter));
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Each_width_classifies_field_bytes_like_the_byte_by_byte_definition(int bits)
    {
        var random = new Random(bits + 1);
        var block = new byte[ByteMasks.BlockBytes];
        for (var round = 0; round < 5000; round++)
        {
            foreach (ref var b in block.AsSpan())
                b = random.Next(3) == 0 ? (byte)random.Next(256) : Interesting[random.Next(Interesting.Length)];
            Assert.Equal(ByteMasks.ClassifyFieldScalar(block), ByteMasks.ClassifyField(block, bits));
        }
    }

    [Fact]
    public void The_field_classes_are_digits_commas_tees_and_spaces_at_both_ends()
    {
        var block = Enumerable.Repeat((byte)'x', ByteMasks.BlockBytes).ToArray();
        "0, t"u8.CopyTo(block);
        "9, t"u8.CopyTo(block.AsSpan(60));
        var classes = ByteMasks.ClassifyField(ref block[0]);
        Assert.Equal(new ByteMasks.FieldClasses(1UL | (1UL << 60), 0b10 | (1UL << 61), 0b1000 | (1UL << 63), 0b100 | (1UL << 62)), classes);
    }

    [Fact]
    public void The_dispatched_classifier_sees_every_position_including_both_ends()
    {
        for (var at = 0; at < ByteMasks.BlockBytes; at++)
        {
            foreach (var (value, expected) in new[] { ((byte)'|', 0), ((byte)';', 0), ((byte)'\n', 1), ((byte)'\r', 2), ((byte)0, 3), ((byte)0xC3, 4) })
            {
                var block = Enumerable.Repeat((byte)'x', ByteMasks.BlockBytes).ToArray();
                block[at] = value;
                var classes = ByteMasks.Classify(ref block[0], value is (byte)';' ? (byte)';' : (byte)'|');
                var masks = new[] { classes.Delimiters, classes.LineFeeds, classes.CarriageReturns, classes.Nuls, classes.HighBits };
                for (var k = 0; k < masks.Length; k++)
                    Assert.Equal(k == expected ? 1UL << at : 0, masks[k]);
            }
        }
    }

    [Fact]
    public void The_scalar_definition_takes_a_short_tail()
    {
        var classes = ByteMasks.ClassifyScalar("a|b\r\n\u00e9"u8);
        Assert.Equal(new ByteMasks.Classes(0b10, 0b10000, 0b1000, 0, 0b1100000), classes);
    }

    [Fact]
    public void The_runtime_honours_the_instruction_set_switches_make_test_uses()
    {
        // If a runtime ignored these switches, the narrower test runs of `make test` would silently test nothing new.
        foreach (var name in new[] { "DOTNET_EnableAVX512F", "DOTNET_EnableAVX512" })
        {
            if (Environment.GetEnvironmentVariable(name) == "0")
                Assert.False(Vector512.IsHardwareAccelerated, $"{name}=0 but Vector512 is accelerated");
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Assert.False(Vector256.IsHardwareAccelerated, "DOTNET_EnableAVX2=0 but Vector256 is accelerated");
            Assert.False(Vector512.IsHardwareAccelerated, "DOTNET_EnableAVX2=0 but Vector512 is accelerated");
        }
        Assert.True(Vector128.IsHardwareAccelerated); // x64 always has SSE2
    }
}
