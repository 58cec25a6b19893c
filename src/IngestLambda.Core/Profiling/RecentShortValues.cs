using System.Buffers.Binary;

namespace IngestLambda.Core.Profiling;

/// <summary>
/// Remembers short values (at most <see cref="MaxBytes"/> bytes) a column has already put into its distinct sketch, with
/// the number each one reads as, in a small direct-mapped table (docs/benchmarks.md "Making the profile cheap"). Many
/// columns hold few distinct short values (years, ratings, <c>actor</c>/<c>actress</c>), and a value seen again needs no
/// hash (the sketch already holds it: adding it again changes no register) and no parse. A value is its own key, so a
/// hit is exact; a miss only costs the work the value needed anyway.
/// </summary>
internal sealed class RecentShortValues
{
    /// <summary>A key packs the bytes with the length in the top byte, so 7 bytes is the most it holds exactly.</summary>
    public const int MaxBytes = 7;

    private const int SlotBits = 8;

    /// <summary>Key and number side by side, so a look-up reads one cache line. A key of 0 is empty (a key's top byte holds a length of 1 or more).</summary>
    private readonly (ulong Key, double Number)[] _slots = new (ulong, double)[1 << SlotBits];

    /// <summary>The key of a value of 1 to <see cref="MaxBytes"/> bytes: its bytes in order, its length in the top byte.</summary>
    public static ulong KeyOf(ReadOnlySpan<byte> value)
    {
        var key = (ulong)value.Length << 56;
        if (value.Length >= 4)
        {
            // Two overlapping four-byte reads cover 4 to 7 bytes; the overlap holds the same bytes in both.
            var low = (ulong)BinaryPrimitives.ReadUInt32LittleEndian(value);
            var high = (ulong)BinaryPrimitives.ReadUInt32LittleEndian(value[^4..]) << ((value.Length - 4) * 8);
            return key | low | high;
        }
        for (var i = 0; i < value.Length; i++)
            key |= (ulong)value[i] << (i * 8);
        return key;
    }

    /// <summary>Whether the value with this key was remembered; <paramref name="number"/> is what was remembered with it.</summary>
    public bool TryGet(ulong key, out double number)
    {
        ref readonly var slot = ref _slots[SlotOf(key)];
        number = slot.Number;
        return slot.Key == key;
    }

    /// <summary>Remembers the value with this key (replacing whatever shared its slot), with the number it reads as.</summary>
    public void Remember(ulong key, double number = 0)
    {
        _slots[SlotOf(key)] = (key, number);
    }

    private static int SlotOf(ulong key) => (int)((key * 0x9E3779B97F4A7C15) >> (64 - SlotBits));
}
