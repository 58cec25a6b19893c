using System.Text;
using IngestLambda.Core.Profiling;

namespace IngestLambda.Core.Tests.Profiling;

/// <summary>The bounded list-item counter: exact while the items fit, bounded error past its capacity.</summary>
public class TopItemsTests
{
    [Fact]
    public void Counts_are_exact_while_the_distinct_items_fit()
    {
        var random = new Random(3);
        var counter = new TopItems(capacity: 64);
        var exact = new Dictionary<string, long>();
        for (var i = 0; i < 50_000; i++)
        {
            var item = $"item{(int)Math.Pow(random.NextDouble(), 3) * 60}";
            counter.Add(Encoding.UTF8.GetBytes(item));
            exact[item] = exact.GetValueOrDefault(item) + 1;
        }

        var expected = exact.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(20)
            .Select(p => new TopItem(p.Key, p.Value));
        Assert.True(counter.Exact);
        Assert.Equal(expected, counter.Top(20));
    }

    [Fact]
    public void Past_its_capacity_the_frequent_items_stay_and_each_count_is_at_most_n_over_capacity_low()
    {
        var random = new Random(4);
        var counter = new TopItems(capacity: 100);
        var exact = new Dictionary<string, long>();
        const int n = 200_000;
        for (var i = 0; i < n; i++)
        {
            // 10 frequent items, then a long tail of items seen about once each.
            var item = random.Next(4) == 0 ? $"frequent{random.Next(10)}" : $"rare{random.Next(1_000_000)}";
            counter.Add(Encoding.UTF8.GetBytes(item));
            exact[item] = exact.GetValueOrDefault(item) + 1;
        }

        Assert.False(counter.Exact);
        var top = counter.Top(10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"frequent{i}").Order(), top.Select(t => t.Value).Order());
        foreach (var item in top)
            Assert.InRange(item.Count, exact[item.Value] - n / 101, exact[item.Value]);
    }

    [Fact]
    public void A_very_long_item_is_counted_by_its_first_bytes()
    {
        var counter = new TopItems();
        counter.Add(Encoding.UTF8.GetBytes(new string('a', 300)));
        counter.Add(Encoding.UTF8.GetBytes(new string('a', 400)));

        var only = Assert.Single(counter.Top(20));
        Assert.Equal(TopItems.MaxItemBytes, only.Value.Length);
        Assert.Equal(2, only.Count);
    }
}
