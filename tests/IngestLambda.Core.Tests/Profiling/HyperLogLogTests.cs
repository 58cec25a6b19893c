using System.Buffers.Binary;
using IngestLambda.Core.Profiling;

namespace IngestLambda.Core.Tests.Profiling;

/// <summary>The distinct-count sketch against exact counts (docs/contracts.md "Profile": ±2% at 1M distinct).</summary>
public class HyperLogLogTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void One_million_distinct_values_are_estimated_within_two_percent(int seed)
    {
        var sketch = new HyperLogLog();
        var exact = AddRandomValues(sketch, seed, distinct: 1_000_000, repeats: 1);

        Assert.Equal(1_000_000, exact);
        Assert.InRange(sketch.Estimate(), 980_000, 1_020_000);
    }

    [Theory]
    [InlineData(10, 0.0)]
    [InlineData(1_000, 0.01)]
    [InlineData(30_000, 0.02)]
    [InlineData(100_000, 0.02)]
    public void Small_and_middle_counts_are_estimated_within_their_bound(int distinct, double bound)
    {
        foreach (var seed in new[] { 11, 12 })
        {
            var sketch = new HyperLogLog();
            var exact = AddRandomValues(sketch, seed, distinct, repeats: 3);
            var error = Math.Abs(sketch.Estimate() - exact) / (double)exact;
            Assert.True(error <= bound, $"seed {seed}: estimate {sketch.Estimate()} for {exact} distinct ({error:P2})");
        }
    }

    [Fact]
    public void Repeating_values_does_not_change_the_estimate_and_an_empty_sketch_counts_zero()
    {
        var once = new HyperLogLog();
        var thrice = new HyperLogLog();
        AddRandomValues(once, seed: 5, distinct: 5_000, repeats: 1);
        AddRandomValues(thrice, seed: 5, distinct: 5_000, repeats: 3);

        Assert.Equal(once.Estimate(), thrice.Estimate());
        Assert.Equal(0, new HyperLogLog().Estimate());
    }

    [Fact]
    public void Merging_two_sketches_counts_the_union()
    {
        var left = new HyperLogLog();
        var right = new HyperLogLog();
        for (var i = 0; i < 60_000; i++)
            left.Add(BitConverter.GetBytes(i));
        for (var i = 30_000; i < 90_000; i++)
            right.Add(BitConverter.GetBytes(i));

        left.Merge(right);

        Assert.InRange(left.Estimate(), 88_200, 91_800);
    }

    /// <summary>Adds <paramref name="distinct"/> different 12-byte values, each <paramref name="repeats"/> times; returns the exact count.</summary>
    private static int AddRandomValues(HyperLogLog sketch, int seed, int distinct, int repeats)
    {
        var random = new Random(seed);
        var prefix = random.Next();
        Span<byte> value = stackalloc byte[12];
        var seen = new HashSet<long>();
        for (var r = 0; r < repeats; r++)
            for (long i = 0; i < distinct; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(value, prefix);
                BinaryPrimitives.WriteInt64LittleEndian(value[4..], i * 7919);
                sketch.Add(value);
                if (r == 0)
                    seen.Add(i);
            }
        return seen.Count;
    }
}
