using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace IngestLambda.Core.Profiling;

/// <summary>
/// The most frequent items of a list column, in bounded memory (docs/contracts.md "Profile"): at most
/// <see cref="Capacity"/> items are tracked. While the column has no more distinct items than that, every count is
/// exact. Past it, the Misra–Gries rule applies: a new item when the table is full takes one off every count and
/// drops the items at zero, so each kept count is at most (items seen) / (capacity + 1) below the true one and every
/// item more frequent than that stays. Amortised O(1) per item: a pass over the table takes at least
/// <see cref="Capacity"/> off the counts, and each item adds one. The items live in one byte arena and an open-address
/// table, so counting allocates nothing.
/// </summary>
/// <remarks>
/// A list of ids (<c>titulosMaisConhecidos</c>) brings a new item almost every time, so each item's cost is a hash and
/// a probe that misses (docs/benchmarks.md "Making the profile cheap"). The hash is a short multiply-mix of the item's
/// words (<see cref="Hash"/>, only for this table), and each slot holds the item's index with the top bits of its hash,
/// so a probe reads one array and compares bytes only when the tags agree.
/// </remarks>
public sealed class TopItems
{
    public const int DefaultCapacity = 1024;
    /// <summary>Items longer than this are counted by their first bytes, so memory stays bounded by the capacity.</summary>
    public const int MaxItemBytes = 256;

    private readonly uint[] _slots; // per slot: the item's hash tag (high bits) | its index + 1 (low bits); 0 is empty
    private readonly int _mask;
    private readonly uint _indexMask; // the low bits of a slot that hold index + 1
    private readonly ulong[] _hashes;
    private readonly int[] _offsets;
    private readonly int[] _lengths;
    private readonly long[] _counts;
    private byte[] _arena = new byte[4096];
    private int _arenaUsed;
    private int _items;

    public TopItems(int capacity = DefaultCapacity)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A capacity of 1 or more.");
        Capacity = capacity;
        _slots = new uint[(int)BitOperations.RoundUpToPowerOf2((uint)capacity * 4)];
        _mask = _slots.Length - 1;
        _indexMask = BitOperations.RoundUpToPowerOf2((uint)capacity + 1) - 1;
        (_hashes, _offsets, _lengths, _counts) = (new ulong[capacity], new int[capacity], new int[capacity], new long[capacity]);
    }

    public int Capacity { get; }

    /// <summary>Whether the counts are exact: no item was ever dropped.</summary>
    public bool Exact { get; private set; } = true;

    /// <summary>Changes whenever items are dropped, so an index <see cref="Add"/> returned earlier is no longer valid.</summary>
    public int Generation { get; private set; }

    /// <summary>Counts one item; returns its index for <see cref="AddAgain"/>, or -1 when it is not kept.</summary>
    public int Add(ReadOnlySpan<byte> item)
    {
        if (item.Length > MaxItemBytes)
            item = item[..MaxItemBytes];
        var hash = Hash(item);
        var tag = (uint)(hash >> 32) & ~_indexMask;
        var slot = (int)hash & _mask;
        uint entry;
        while ((entry = _slots[slot]) != 0)
        {
            if ((entry & ~_indexMask) == tag)
            {
                var index = (int)(entry & _indexMask) - 1;
                if (item.SequenceEqual(_arena.AsSpan(_offsets[index], _lengths[index])))
                {
                    _counts[index]++;
                    return index;
                }
            }
            slot = (slot + 1) & _mask;
        }
        if (_items < Capacity)
            return Insert(slot, hash, item, count: 1);
        Exact = false;
        DecrementAll();
        return -1;
    }

    /// <summary>
    /// The table's hash of an item: its first and last eight bytes (fewer for a short item) and every word between,
    /// mixed by 64×64→128-bit multiplies (as wyhash does). Nothing outside this table depends on it.
    /// </summary>
    private static ulong Hash(ReadOnlySpan<byte> item)
    {
        const ulong k0 = 0xa0761d6478bd642f, k1 = 0xe7037ed1a0b428db, k2 = 0x8ebc6af09c88c6e3;
        var n = item.Length;
        ulong a, b;
        if (n >= 8)
        {
            a = BinaryPrimitives.ReadUInt64LittleEndian(item);
            b = BinaryPrimitives.ReadUInt64LittleEndian(item[(n - 8)..]);
            for (var i = 8; i < n - 8; i += 8)
                a = Mix(a ^ k2, BinaryPrimitives.ReadUInt64LittleEndian(item[i..]) ^ k1);
        }
        else if (n >= 4)
        {
            a = BinaryPrimitives.ReadUInt32LittleEndian(item);
            b = BinaryPrimitives.ReadUInt32LittleEndian(item[(n - 4)..]);
        }
        else
        {
            a = n == 0 ? 0 : (ulong)item[0] << 16 | (ulong)item[n / 2] << 8 | item[n - 1];
            b = 0;
        }
        return Mix(a ^ k0 ^ (ulong)n, b ^ k1);
    }

    private static ulong Mix(ulong x, ulong y)
    {
        var high = Math.BigMul(x, y, out var low);
        return high ^ low;
    }

    /// <summary>Counts again (<paramref name="times"/> times) the item at <paramref name="index"/>, which <see cref="Add"/> returned in this <see cref="Generation"/>.</summary>
    public void AddAgain(int index, int times = 1) => _counts[index] += times;

    /// <summary>The <paramref name="count"/> most frequent items, most frequent first (ties in byte order).</summary>
    public IReadOnlyList<TopItem> Top(int count) =>
    [
        .. Enumerable.Range(0, _items)
            .OrderByDescending(i => _counts[i]).ThenBy(i => _arena.AsMemory(_offsets[i], _lengths[i]), MemoryOrder.Instance).Take(count)
            .Select(i => new TopItem(Encoding.UTF8.GetString(_arena, _offsets[i], _lengths[i]), _counts[i])),
    ];

    private int Insert(int slot, ulong hash, ReadOnlySpan<byte> item, long count)
    {
        if (_arenaUsed + item.Length > _arena.Length)
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + item.Length));
        var index = _items++;
        item.CopyTo(_arena.AsSpan(_arenaUsed));
        (_hashes[index], _offsets[index], _lengths[index], _counts[index]) = (hash, _arenaUsed, item.Length, count);
        _arenaUsed += item.Length;
        _slots[slot] = SlotOf(hash, index);
        return index;
    }

    /// <summary>Takes one off every count and compacts the items still above zero in place, then rebuilds the table.</summary>
    private void DecrementAll()
    {
        Generation++;
        var (kept, arenaUsed) = (0, 0);
        for (var i = 0; i < _items; i++)
        {
            if (--_counts[i] == 0)
                continue;
            // Kept items move down: offsets only grow with the index, so the copy never overwrites bytes still to move.
            _arena.AsSpan(_offsets[i], _lengths[i]).CopyTo(_arena.AsSpan(arenaUsed));
            (_hashes[kept], _offsets[kept], _lengths[kept], _counts[kept]) = (_hashes[i], arenaUsed, _lengths[i], _counts[i]);
            arenaUsed += _lengths[i];
            kept++;
        }
        (_items, _arenaUsed) = (kept, arenaUsed);
        Array.Clear(_slots);
        for (var index = 0; index < kept; index++)
        {
            var slot = (int)_hashes[index] & _mask;
            while (_slots[slot] != 0)
                slot = (slot + 1) & _mask;
            _slots[slot] = SlotOf(_hashes[index], index);
        }
    }

    private uint SlotOf(ulong hash, int index) => ((uint)(hash >> 32) & ~_indexMask) | (uint)(index + 1);

    private sealed class MemoryOrder : IComparer<ReadOnlyMemory<byte>>
    {
        public static MemoryOrder Instance { get; } = new();
        public int Compare(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceCompareTo(y.Span);
    }
}

/// <summary>A list item and how often it occurred.</summary>
public sealed record TopItem(string Value, long Count);
