using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IngestLambda.Core.Validation;

/// <summary>
/// Quote state 64 bytes at a time, for quoted dialects (docs/contracts.md "Dataset contracts"): where the quote characters are, and
/// which bytes lie inside quotes. Inside is the prefix XOR of the quote mask (bit i is the parity of the quotes at or
/// before byte i) flipped by the state carried in from the previous block, the technique of simdjson and Sep: an
/// opening quote counts as inside, its closing quote as outside, and a doubled quote <c>""</c> inside a field opens
/// and closes an empty stretch, leaving the bytes around it inside.
/// </summary>
internal static class QuoteMasks
{
    /// <summary>The quote characters among the 64 bytes at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(ref byte at, byte quote)
    {
        if (Vector512.IsHardwareAccelerated)
            return Vector512.Equals(Vector512.LoadUnsafe(ref at), Vector512.Create(quote)).ExtractMostSignificantBits();
        if (Vector256.IsHardwareAccelerated)
        {
            var quotes = Vector256.Create(quote);
            return Vector256.Equals(Vector256.LoadUnsafe(ref at), quotes).ExtractMostSignificantBits()
                | ((ulong)Vector256.Equals(Vector256.LoadUnsafe(ref Unsafe.Add(ref at, 32)), quotes).ExtractMostSignificantBits() << 32);
        }
        ulong mask = 0;
        for (var k = 0; k < 4; k++)
            mask |= (ulong)Vector128.Equals(Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 16 * k)), Vector128.Create(quote)).ExtractMostSignificantBits() << (16 * k);
        return mask;
    }

    /// <summary>Bit i: the XOR of bits 0..i of <paramref name="mask"/>. A carry-less multiply by all ones where the CPU has one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PrefixXor(ulong mask)
    {
        if (Pclmulqdq.IsSupported)
            return Pclmulqdq.CarrylessMultiply(Vector128.CreateScalar(mask), Vector128.Create(ulong.MaxValue), 0).ToScalar();
        if (System.Runtime.Intrinsics.Arm.Aes.IsSupported) // arm64: PMULL
            return System.Runtime.Intrinsics.Arm.Aes.PolynomialMultiplyWideningLower(Vector64.CreateScalar(mask), Vector64.Create(ulong.MaxValue)).ToScalar();
        return PrefixXorShifts(mask);
    }

    /// <summary>The same by shifts: each step doubles the span already folded in.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PrefixXorShifts(ulong mask)
    {
        mask ^= mask << 1;
        mask ^= mask << 2;
        mask ^= mask << 4;
        mask ^= mask << 8;
        mask ^= mask << 16;
        mask ^= mask << 32;
        return mask;
    }

    /// <summary>The definition, byte by byte (tests).</summary>
    public static ulong OfScalar(ReadOnlySpan<byte> bytes, byte quote)
    {
        ulong mask = 0;
        for (var k = 0; k < bytes.Length && k < ByteMasks.BlockBytes; k++)
        {
            if (bytes[k] == quote)
                mask |= 1UL << k;
        }
        return mask;
    }

    /// <summary>
    /// The bytes inside quotes of one block, from its quote, delimiter and line feed masks and the state carried in.
    /// A quote that would open a field anywhere but at its start (or right after a closing quote, a doubled quote) is
    /// not a quote but a misplaced character: it is dropped from <paramref name="quotes"/> and returned in
    /// <paramref name="stray"/> to be reported, so one stray quote costs one error, not the rest of the file. Such
    /// blocks are rare and take <see cref="DropStrays"/>, a walk over the block's quotes, delimiters and line feeds.
    /// </summary>
    /// <param name="last">The block's last byte: 63, or less in a short last block, whose padding carries nothing.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Resolve(ref ulong quotes, ulong delimiters, ulong lineFeeds, ref QuoteCarry carry, out ulong stray, int last = 63)
    {
        stray = 0;
        var inside = PrefixXor(quotes) ^ carry.InQuote;
        if (quotes != 0)
        {
            var closers = quotes & ~inside;
            var starts = (((delimiters | lineFeeds) & ~inside) << 1) | carry.FieldStart;
            if ((quotes & inside & ~starts & ~((closers << 1) | carry.AfterCloser)) != 0)
                (quotes, inside, stray) = DropStrays(quotes, delimiters | lineFeeds, carry);
        }
        carry = new QuoteCarry(0 - ((inside >> last) & 1), (((delimiters | lineFeeds) & ~inside) >> last) & 1, ((quotes & ~inside) >> last) & 1);
        return inside;
    }

    /// <summary>The quote state walked in order over the block's quotes and separators (delimiters and line feeds).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (ulong Quotes, ulong Inside, ulong Stray) DropStrays(ulong quotes, ulong separators, QuoteCarry carry)
    {
        var inside = carry.InQuote;
        var inQuote = carry.InQuote != 0;
        var fieldStart = carry.FieldStart != 0 ? 0 : -1;
        var afterCloser = carry.AfterCloser != 0 ? 0 : -1;
        ulong kept = 0, stray = 0;
        for (var mask = quotes | separators; mask != 0; mask &= mask - 1)
        {
            var p = System.Numerics.BitOperations.TrailingZeroCount(mask);
            var bit = 1UL << p;
            if ((quotes & bit) == 0)
            {
                if (!inQuote)
                    fieldStart = p + 1;
            }
            else if (inQuote || p == fieldStart || p == afterCloser)
            {
                inside ^= ulong.MaxValue << p; // an opening quote is inside, a closing one outside
                kept |= bit;
                if (inQuote)
                    afterCloser = p + 1;
                inQuote = !inQuote;
            }
            else
            {
                stray |= bit;
            }
        }
        return (kept, inside, stray);
    }

    /// <summary>
    /// The 64 bytes of <paramref name="data"/> at <paramref name="i"/>; for a short last block, its bytes copied into
    /// <paramref name="tail"/> and padded with spaces, which no class takes (contracts delimit and quote with
    /// punctuation or tab). <paramref name="last"/> is the block's last real byte.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref byte BlockAt(ReadOnlySpan<byte> data, int i, Span<byte> tail, out int last)
    {
        last = ByteMasks.BlockBytes - 1;
        if (i <= data.Length - ByteMasks.BlockBytes)
            return ref Unsafe.Add(ref MemoryMarshal.GetReference(data), i);
        tail.Fill((byte)' ');
        data[i..].CopyTo(tail);
        last = data.Length - i - 1;
        return ref MemoryMarshal.GetReference(tail);
    }

    /// <summary>
    /// Where the record that the bytes before <paramref name="span"/> began ends: the index of its first line feed
    /// outside quotes, or -1. <paramref name="carry"/> carries the quote state in and out; <paramref name="quotedLineFeeds"/>
    /// adds the line feeds inside quotes passed on the way (they are lines of the file, not records).
    /// </summary>
    public static int FindRecordEnd(ReadOnlySpan<byte> span, byte delimiter, byte quote, ref QuoteCarry carry, ref long quotedLineFeeds)
    {
        Span<byte> tail = stackalloc byte[ByteMasks.BlockBytes];
        for (var i = 0; i < span.Length; i += ByteMasks.BlockBytes)
        {
            ref var at = ref BlockAt(span, i, tail, out var last);
            var classes = ByteMasks.Classify(ref at, delimiter);
            var quotes = Of(ref at, quote);
            var inside = Resolve(ref quotes, classes.Delimiters, classes.LineFeeds, ref carry, out _, last);
            var ends = classes.LineFeeds & ~inside;
            if (ends != 0)
            {
                var bit = System.Numerics.BitOperations.TrailingZeroCount(ends);
                quotedLineFeeds += System.Numerics.BitOperations.PopCount(classes.LineFeeds & inside & ((1UL << bit) - 1));
                carry = QuoteCarry.RecordStart;
                return i + bit;
            }
            quotedLineFeeds += System.Numerics.BitOperations.PopCount(classes.LineFeeds & inside);
        }
        return -1;
    }
}

/// <summary>
/// The quote state between blocks: inside quotes (all ones) or not, whether the next byte starts a field (1: the last
/// byte was a delimiter or line feed outside quotes, or nothing yet), and whether the last byte closed a quoted field.
/// </summary>
internal readonly record struct QuoteCarry(ulong InQuote, ulong FieldStart, ulong AfterCloser)
{
    /// <summary>The state at the start of a record: outside quotes, at a field start.</summary>
    public static QuoteCarry RecordStart => new(0, 1, 0);

    public bool IsInQuote => InQuote != 0;
}

/// <summary>
/// The quote state byte by byte: the definition <see cref="QuoteMasks.Resolve"/> is tested against, and the reader of
/// the rare paths (a record's open quote, its quoted line feeds, the field of a bad UTF-8 sequence).
/// </summary>
internal struct QuoteWalker(byte delimiter, byte quote)
{
    public enum Kind { Data, Delimiter, LineFeed, Opening, Closing, Stray }

    private bool _inQuote;
    private bool _fieldStart = true;
    private bool _afterCloser;

    public readonly bool InQuote => _inQuote;

    /// <summary>What <paramref name="b"/> is, given the bytes before it; a line feed or delimiter inside quotes is data.</summary>
    public Kind Next(byte b)
    {
        var atFieldStart = _fieldStart;
        var afterCloser = _afterCloser;
        _fieldStart = false;
        _afterCloser = false;
        if (b == quote)
        {
            if (_inQuote)
            {
                _inQuote = false;
                _afterCloser = true;
                return Kind.Closing;
            }
            if (!atFieldStart && !afterCloser)
                return Kind.Stray;
            _inQuote = true;
            return Kind.Opening;
        }
        if (_inQuote)
            return Kind.Data;
        if (b == delimiter || b == (byte)'\n')
        {
            _fieldStart = true;
            return b == delimiter ? Kind.Delimiter : Kind.LineFeed;
        }
        return Kind.Data;
    }
}
