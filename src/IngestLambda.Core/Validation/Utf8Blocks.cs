using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace IngestLambda.Core.Validation;

/// <summary>
/// UTF-8 validation folded into the block scan: 64 bytes at a time, from bit masks, carrying into the next block what a
/// sequence that crosses the boundary still requires. A block of ASCII and 2-byte sequences (accented Latin: nearly
/// all of this data) is judged without a branch from two vector masks: its continuation bytes must be exactly the
/// bytes after its lead bytes. A block with 3- or 4-byte sequences, or with C0/C1, gets the full rules from eleven
/// masks: continuations where the leads need them, no byte that can never occur, and the second-byte ranges that rule
/// out overlong forms, surrogates and code points above U+10FFFF (RFC 3629).
/// </summary>
internal struct Utf8Blocks
{
    private ulong _continuations; // bits of the next block that must be continuation bytes
    private ulong _after;         // bits 0-3: the next block starts with the byte after an E0, ED, F0 or F4

    /// <summary>Whether the blocks so far end inside a sequence: the next byte must continue it.</summary>
    public readonly bool InsideSequence => _continuations != 0;

    /// <summary>
    /// Takes the next 64 bytes at <paramref name="at"/>, whose high-bit mask is <paramref name="highBits"/>. Returns
    /// false when they do not continue valid UTF-8; the state is then undefined (the caller looks no further).
    /// Branch-free for ASCII and 2-byte sequences: a branch on "any high bit" would be mispredicted half the time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Accept(ref byte at, ulong highBits)
    {
        var (continuations, uncommon) = TwoByteClasses(ref at);
        if ((uncommon | _after) != 0)
            return AcceptUncommon(ref at);
        var leads = highBits & ~continuations; // C2..DF here
        var valid = continuations == ((leads << 1) | _continuations);
        _continuations = leads >> 63;
        return valid;
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // rare: kept out of the scan loop
    private bool AcceptUncommon(ref byte at) => AcceptAny(Classify(ref at));

    /// <summary>The full rules, on the masks of <see cref="Classify"/>.</summary>
    internal bool AcceptAny(Classes c)
    {
        var required = (c.Lead2 << 1) | (c.Lead3 << 1) | (c.Lead3 << 2) | (c.Lead4 << 1) | (c.Lead4 << 2) | (c.Lead4 << 3) | _continuations;
        var valid = c.Invalid == 0 && c.Continuations == required
            && (((c.E0 << 1) | (_after & 1)) & c.Below0xA0) == 0                             // E0 A0..BF: no overlong 3-byte form
            && (((c.ED << 1) | ((_after >> 1) & 1)) & c.Continuations & ~c.Below0xA0) == 0   // ED 80..9F: no surrogate
            && (((c.F0 << 1) | ((_after >> 2) & 1)) & c.Below0x90) == 0                     // F0 90..BF: no overlong 4-byte form
            && (((c.F4 << 1) | ((_after >> 3) & 1)) & c.Continuations & ~c.Below0x90) == 0;  // F4 80..8F: nothing above U+10FFFF
        _continuations = (c.Lead2 >> 63) | (c.Lead3 >> 63) | (c.Lead3 >> 62) | (c.Lead4 >> 63) | (c.Lead4 >> 62) | (c.Lead4 >> 61);
        _after = (c.E0 >> 63) | ((c.ED >> 63) << 1) | ((c.F0 >> 63) << 2) | ((c.F4 >> 63) << 3);
        return valid;
    }

    /// <summary>Continuation bytes (80..BF), and the bytes that need the full rules (C0, C1, E0..FF).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (ulong Continuations, ulong Uncommon) TwoByteClasses(ref byte at)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var v = Vector512.LoadUnsafe(ref at);
            return (Vector512.LessThan(v.AsSByte(), Vector512.Create((sbyte)-64)).ExtractMostSignificantBits(),
                (Vector512.GreaterThanOrEqual(v, Vector512.Create((byte)0xE0)) | Vector512.Equals(v & Vector512.Create((byte)0xFE), Vector512.Create((byte)0xC0))).ExtractMostSignificantBits());
        }
        ulong continuations = 0, uncommon = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (var k = 0; k < 2; k++)
            {
                var v = Vector256.LoadUnsafe(ref Unsafe.Add(ref at, 32 * k));
                continuations |= (ulong)Vector256.LessThan(v.AsSByte(), Vector256.Create((sbyte)-64)).ExtractMostSignificantBits() << (32 * k);
                uncommon |= (ulong)(Vector256.GreaterThanOrEqual(v, Vector256.Create((byte)0xE0)) | Vector256.Equals(v & Vector256.Create((byte)0xFE), Vector256.Create((byte)0xC0))).ExtractMostSignificantBits() << (32 * k);
            }
            return (continuations, uncommon);
        }
        if (AdvSimd.Arm64.IsSupported)
            return AdvSimdMasks.TwoByteClasses(ref at);
        for (var k = 0; k < 4; k++)
        {
            var v = Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 16 * k));
            continuations |= (ulong)Vector128.LessThan(v.AsSByte(), Vector128.Create((sbyte)-64)).ExtractMostSignificantBits() << (16 * k);
            uncommon |= (ulong)(Vector128.GreaterThanOrEqual(v, Vector128.Create((byte)0xE0)) | Vector128.Equals(v & Vector128.Create((byte)0xFE), Vector128.Create((byte)0xC0))).ExtractMostSignificantBits() << (16 * k);
        }
        return (continuations, uncommon);
    }

    /// <summary>The masks of the full rules, 16 bytes at a time (rare blocks: 3- and 4-byte sequences, C0, C1).</summary>
    internal static Classes Classify(ref byte at)
    {
        ulong continuations = 0, lead2 = 0, lead3 = 0, lead4 = 0, invalid = 0, e0 = 0, ed = 0, f0 = 0, f4 = 0, below0xA0 = 0, below0x90 = 0;
        for (var k = 0; k < 4; k++)
        {
            var v = Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 16 * k));
            var shift = 16 * k;
            continuations |= Bits(Vector128.GreaterThanOrEqual(v, Vector128.Create((byte)0x80)) & Vector128.LessThanOrEqual(v, Vector128.Create((byte)0xBF)), shift);
            below0xA0 |= Bits(Vector128.GreaterThanOrEqual(v, Vector128.Create((byte)0x80)) & Vector128.LessThan(v, Vector128.Create((byte)0xA0)), shift);
            below0x90 |= Bits(Vector128.GreaterThanOrEqual(v, Vector128.Create((byte)0x80)) & Vector128.LessThan(v, Vector128.Create((byte)0x90)), shift);
            lead2 |= Bits(Vector128.GreaterThanOrEqual(v, Vector128.Create((byte)0xC2)) & Vector128.LessThanOrEqual(v, Vector128.Create((byte)0xDF)), shift);
            lead3 |= Bits(Vector128.Equals(v & Vector128.Create((byte)0xF0), Vector128.Create((byte)0xE0)), shift);
            lead4 |= Bits(Vector128.GreaterThanOrEqual(v, Vector128.Create((byte)0xF0)) & Vector128.LessThanOrEqual(v, Vector128.Create((byte)0xF4)), shift);
            invalid |= Bits(Vector128.Equals(v & Vector128.Create((byte)0xFE), Vector128.Create((byte)0xC0)) | Vector128.GreaterThanOrEqual(v, Vector128.Create((byte)0xF5)), shift);
            e0 |= Bits(Vector128.Equals(v, Vector128.Create((byte)0xE0)), shift);
            ed |= Bits(Vector128.Equals(v, Vector128.Create((byte)0xED)), shift);
            f0 |= Bits(Vector128.Equals(v, Vector128.Create((byte)0xF0)), shift);
            f4 |= Bits(Vector128.Equals(v, Vector128.Create((byte)0xF4)), shift);
        }
        return new Classes(continuations, lead2, lead3, lead4, invalid, e0, ed, f0, f4, below0xA0, below0x90);

        static ulong Bits(Vector128<byte> matches, int shift) => (ulong)matches.ExtractMostSignificantBits() << shift;
    }

    /// <summary>The masks of the full rules, one bit per byte.</summary>
    internal readonly record struct Classes(ulong Continuations, ulong Lead2, ulong Lead3, ulong Lead4, ulong Invalid,
        ulong E0, ulong ED, ulong F0, ulong F4, ulong Below0xA0, ulong Below0x90);

    /// <summary>The same masks byte by byte: the definition <see cref="Classify"/> is tested against.</summary>
    internal static Classes ClassifyScalar(ReadOnlySpan<byte> block)
    {
        ulong continuations = 0, lead2 = 0, lead3 = 0, lead4 = 0, invalid = 0, e0 = 0, ed = 0, f0 = 0, f4 = 0, below0xA0 = 0, below0x90 = 0;
        for (var k = 0; k < block.Length; k++)
        {
            var b = block[k];
            if (b < 0x80)
                continue;
            var bit = 1UL << k;
            switch (b)
            {
                case <= 0xBF:
                    continuations |= bit;
                    if (b < 0xA0)
                        below0xA0 |= bit;
                    if (b < 0x90)
                        below0x90 |= bit;
                    break;
                case <= 0xC1 or >= 0xF5: invalid |= bit; break;
                case <= 0xDF: lead2 |= bit; break;
                case <= 0xEF:
                    lead3 |= bit;
                    if (b == 0xE0)
                        e0 |= bit;
                    if (b == 0xED)
                        ed |= bit;
                    break;
                default:
                    lead4 |= bit;
                    if (b == 0xF0)
                        f0 |= bit;
                    if (b == 0xF4)
                        f4 |= bit;
                    break;
            }
        }
        return new Classes(continuations, lead2, lead3, lead4, invalid, e0, ed, f0, f4, below0xA0, below0x90);
    }
}
