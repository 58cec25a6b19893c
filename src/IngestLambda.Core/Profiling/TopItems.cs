using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace IngestLambda.Core.Profiling;

/// <summary>
/// The most frequent items of a list column, in bounded memory (docs/contracts.md "Profile"): at most
/// <see cref="Capacity"/> items are tracked. While the column has no more distinct items than that, every count is
/// exact. Past it, the Misra–Gries rule applies: a new item when the table is full takes one off every count and
/// drops the items at zero, so each kept count is at most (items seen) / (capacity + 1) below the true one and every
/// item more frequent than that stays. The cost is amortised O(1) per item; only a newly kept item allocates.
/// </summary>
public sealed class TopItems(int capacity = TopItems.DefaultCapacity)
{
    public const int DefaultCapacity = 1024;
    /// <summary>Items longer than this are counted by their first bytes, so memory stays bounded by the capacity.</summary>
    public const int MaxItemBytes = 256;

    private readonly Dictionary<byte[], long> _counts = new(ByteKeyComparer.Instance);
    private Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> Lookup => _counts.GetAlternateLookup<ReadOnlySpan<byte>>();

    public int Capacity { get; } = capacity;

    /// <summary>Whether the counts are exact: no item was ever dropped.</summary>
    public bool Exact { get; private set; } = true;

    public void Add(ReadOnlySpan<byte> item)
    {
        if (item.Length > MaxItemBytes)
            item = item[..MaxItemBytes];
        var lookup = Lookup;
        if (_counts.Count < Capacity)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(lookup, item, out _)++;
            return;
        }
        if (lookup.TryGetValue(item, out var count))
        {
            lookup[item] = count + 1;
            return;
        }
        Exact = false;
        DecrementAll();
    }

    /// <summary>The <paramref name="count"/> most frequent items, most frequent first (ties in byte order).</summary>
    public IReadOnlyList<TopItem> Top(int count) =>
    [
        .. _counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, ByteKeyComparer.Instance).Take(count)
            .Select(pair => new TopItem(System.Text.Encoding.UTF8.GetString(pair.Key), pair.Value)),
    ];

    private void DecrementAll()
    {
        List<byte[]>? gone = null;
        foreach (var key in _counts.Keys)
        {
            // Through a reference: writing a value does not change the dictionary's shape while it is enumerated.
            ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(_counts, key);
            if (--count == 0)
                (gone ??= []).Add(key);
        }
        foreach (var key in gone ?? [])
            _counts.Remove(key);
    }
}

/// <summary>A list item and how often it occurred.</summary>
public sealed record TopItem(string Value, long Count);

/// <summary>Compares byte arrays by content, and byte spans against them, so a lookup by span allocates nothing.</summary>
internal sealed class ByteKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>, IComparer<byte[]>
{
    public static ByteKeyComparer Instance { get; } = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
    public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());
    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);
    public int GetHashCode(ReadOnlySpan<byte> alternate) => (int)XxHash3.HashToUInt64(alternate);
    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
