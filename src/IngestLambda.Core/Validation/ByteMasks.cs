using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace IngestLambda.Core.Validation;

/// <summary>
/// Classifies 64 bytes at a time into bit masks (bit i for byte i): the bytes the scan acts on (the dataset's delimiter
/// and LF), the
/// rare bytes it reports (CR, NUL) and the bytes of multi-byte UTF-8 sequences (high bit set, see <see cref="Utf8Blocks"/>); and, for the field rules, the 64 bytes from a field's start into digits, commas,
/// 't' and spaces (<see cref="ClassifyField(ref byte)"/>). <see cref="Classify(ref byte)"/> takes the widest vector the CPU accelerates (512, 256 or
/// 128 bits: the JIT, or Native AOT at run time, folds the checks away; on arm64 the 128-bit width is
/// <see cref="AdvSimdMasks"/>); each width is also callable on its own, so the tests compare every width the machine
/// has against the scalar definition.
/// </summary>
internal static class ByteMasks
{
    public const int BlockBytes = 64;

    /// <summary>The classes of one 64-byte block.</summary>
    public readonly record struct Classes(ulong Delimiters, ulong LineFeeds, ulong CarriageReturns, ulong Nuls, ulong HighBits)
    {
        /// <summary>The bytes that are errors unless a CR directly precedes an LF.</summary>
        public ulong Rare => CarriageReturns | Nuls;

        public ulong Any => Delimiters | LineFeeds | Rare;
    }

    /// <summary>Classifies the 64 bytes at <paramref name="at"/> with the widest accelerated vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Classes Classify(ref byte at, byte delimiter)
    {
        if (Vector512.IsHardwareAccelerated)
            return Classify512(ref at, delimiter);
        if (Vector256.IsHardwareAccelerated)
            return Classify256(ref at, delimiter);
        return Classify128(ref at, delimiter);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Classes Classify512(ref byte at, byte delimiter)
    {
        var v = Vector512.LoadUnsafe(ref at);
        return new Classes(
            Vector512.Equals(v, Vector512.Create(delimiter)).ExtractMostSignificantBits(),
            Vector512.Equals(v, Vector512.Create((byte)'\n')).ExtractMostSignificantBits(),
            Vector512.Equals(v, Vector512.Create((byte)'\r')).ExtractMostSignificantBits(),
            Vector512.Equals(v, Vector512<byte>.Zero).ExtractMostSignificantBits(),
            v.ExtractMostSignificantBits());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Classes Classify256(ref byte at, byte delimiter)
    {
        var lo = Vector256.LoadUnsafe(ref at);
        var hi = Vector256.LoadUnsafe(ref Unsafe.Add(ref at, 32));
        var delimiters = Vector256.Create(delimiter);
        return new Classes(
            Join(Vector256.Equals(lo, delimiters), Vector256.Equals(hi, delimiters)),
            Join(Vector256.Equals(lo, Vector256.Create((byte)'\n')), Vector256.Equals(hi, Vector256.Create((byte)'\n'))),
            Join(Vector256.Equals(lo, Vector256.Create((byte)'\r')), Vector256.Equals(hi, Vector256.Create((byte)'\r'))),
            Join(Vector256.Equals(lo, Vector256<byte>.Zero), Vector256.Equals(hi, Vector256<byte>.Zero)),
            Join(lo, hi));

        static ulong Join(Vector256<byte> lo, Vector256<byte> hi) =>
            lo.ExtractMostSignificantBits() | ((ulong)hi.ExtractMostSignificantBits() << 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Classes Classify128(ref byte at, byte delimiter)
    {
        if (AdvSimd.Arm64.IsSupported)
            return AdvSimdMasks.Classify(ref at, delimiter);
        ulong delimiters = 0, lineFeeds = 0, carriageReturns = 0, nuls = 0, highBits = 0;
        for (var k = 0; k < 4; k++)
        {
            var v = Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 16 * k));
            delimiters |= (ulong)Vector128.Equals(v, Vector128.Create(delimiter)).ExtractMostSignificantBits() << (16 * k);
            lineFeeds |= (ulong)Vector128.Equals(v, Vector128.Create((byte)'\n')).ExtractMostSignificantBits() << (16 * k);
            carriageReturns |= (ulong)Vector128.Equals(v, Vector128.Create((byte)'\r')).ExtractMostSignificantBits() << (16 * k);
            nuls |= (ulong)Vector128.Equals(v, Vector128<byte>.Zero).ExtractMostSignificantBits() << (16 * k);
            highBits |= (ulong)v.ExtractMostSignificantBits() << (16 * k);
        }
        return new Classes(delimiters, lineFeeds, carriageReturns, nuls, highBits);
    }

    /// <summary>The definition, byte by byte: for the tail of a block (fewer than 64 bytes) and as the tests' reference.</summary>
    public static Classes ClassifyScalar(ReadOnlySpan<byte> bytes, byte delimiter = (byte)'|')
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes.Length, BlockBytes, nameof(bytes));
        ulong delimiters = 0, lineFeeds = 0, carriageReturns = 0, nuls = 0, highBits = 0;
        for (var k = 0; k < bytes.Length; k++)
        {
            var bit = 1UL << k;
            var b = bytes[k];
            if (b == delimiter)
            {
                delimiters |= bit;
                continue;
            }
            switch (b)
            {
                case (byte)'\n': lineFeeds |= bit; break;
                case (byte)'\r': carriageReturns |= bit; break;
                case 0: nuls |= bit; break;
                case >= 0x80: highBits |= bit; break;
            }
        }
        return new Classes(delimiters, lineFeeds, carriageReturns, nuls, highBits);
    }

    /// <summary>The classifier for a span of exactly 64 bytes, by width (tests and benchmarks).</summary>
    internal static Classes Classify(ReadOnlySpan<byte> block64, int vectorBits, byte delimiter = (byte)'|')
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(block64.Length, BlockBytes, nameof(block64));
        ref var at = ref MemoryMarshal.GetReference(block64);
        return vectorBits switch
        {
            512 => Classify512(ref at, delimiter),
            256 => Classify256(ref at, delimiter),
            128 => Classify128(ref at, delimiter),
            _ => ClassifyScalar(block64, delimiter),
        };
    }

    /// <summary>The classes the field rules need, of 64 bytes from a field's start (bits past the field are ignored).</summary>
    public readonly record struct FieldClasses(ulong Digits, ulong Commas, ulong Tees, ulong Spaces);

    /// <summary>Classifies the 64 bytes at <paramref name="at"/> for the field rules, with the widest accelerated vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldClasses ClassifyField(ref byte at)
    {
        if (Vector512.IsHardwareAccelerated)
            return ClassifyField512(ref at);
        if (Vector256.IsHardwareAccelerated)
            return ClassifyField256(ref at);
        return ClassifyField128(ref at);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldClasses ClassifyField512(ref byte at)
    {
        var v = Vector512.LoadUnsafe(ref at);
        return new FieldClasses(
            Vector512.LessThan(v - Vector512.Create((byte)'0'), Vector512.Create((byte)10)).ExtractMostSignificantBits(),
            Vector512.Equals(v, Vector512.Create((byte)',')).ExtractMostSignificantBits(),
            Vector512.Equals(v, Vector512.Create((byte)'t')).ExtractMostSignificantBits(),
            Vector512.Equals(v, Vector512.Create((byte)' ')).ExtractMostSignificantBits());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldClasses ClassifyField256(ref byte at)
    {
        ulong digits = 0, commas = 0, tees = 0, spaces = 0;
        for (var k = 0; k < 2; k++)
        {
            var v = Vector256.LoadUnsafe(ref Unsafe.Add(ref at, 32 * k));
            digits |= (ulong)Vector256.LessThan(v - Vector256.Create((byte)'0'), Vector256.Create((byte)10)).ExtractMostSignificantBits() << (32 * k);
            commas |= (ulong)Vector256.Equals(v, Vector256.Create((byte)',')).ExtractMostSignificantBits() << (32 * k);
            tees |= (ulong)Vector256.Equals(v, Vector256.Create((byte)'t')).ExtractMostSignificantBits() << (32 * k);
            spaces |= (ulong)Vector256.Equals(v, Vector256.Create((byte)' ')).ExtractMostSignificantBits() << (32 * k);
        }
        return new FieldClasses(digits, commas, tees, spaces);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldClasses ClassifyField128(ref byte at)
    {
        if (AdvSimd.Arm64.IsSupported)
            return AdvSimdMasks.ClassifyField(ref at);
        ulong digits = 0, commas = 0, tees = 0, spaces = 0;
        for (var k = 0; k < 4; k++)
        {
            var v = Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 16 * k));
            digits |= (ulong)Vector128.LessThan(v - Vector128.Create((byte)'0'), Vector128.Create((byte)10)).ExtractMostSignificantBits() << (16 * k);
            commas |= (ulong)Vector128.Equals(v, Vector128.Create((byte)',')).ExtractMostSignificantBits() << (16 * k);
            tees |= (ulong)Vector128.Equals(v, Vector128.Create((byte)'t')).ExtractMostSignificantBits() << (16 * k);
            spaces |= (ulong)Vector128.Equals(v, Vector128.Create((byte)' ')).ExtractMostSignificantBits() << (16 * k);
        }
        return new FieldClasses(digits, commas, tees, spaces);
    }

    /// <summary>The field classes byte by byte: the definition the vector widths are tested against.</summary>
    public static FieldClasses ClassifyFieldScalar(ReadOnlySpan<byte> bytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes.Length, BlockBytes, nameof(bytes));
        ulong digits = 0, commas = 0, tees = 0, spaces = 0;
        for (var k = 0; k < bytes.Length; k++)
        {
            var bit = 1UL << k;
            switch (bytes[k])
            {
                case >= (byte)'0' and <= (byte)'9': digits |= bit; break;
                case (byte)',': commas |= bit; break;
                case (byte)'t': tees |= bit; break;
                case (byte)' ': spaces |= bit; break;
            }
        }
        return new FieldClasses(digits, commas, tees, spaces);
    }

    /// <summary>The field classifier for a span of exactly 64 bytes, by width (tests).</summary>
    internal static FieldClasses ClassifyField(ReadOnlySpan<byte> block64, int vectorBits)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(block64.Length, BlockBytes, nameof(block64));
        ref var at = ref MemoryMarshal.GetReference(block64);
        return vectorBits switch
        {
            512 => ClassifyField512(ref at),
            256 => ClassifyField256(ref at),
            128 => ClassifyField128(ref at),
            _ => ClassifyFieldScalar(block64),
        };
    }
}
