using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace IngestLambda.Core.Validation;

/// <summary>
/// The per-block classifiers of <see cref="ByteMasks"/> and <see cref="Utf8Blocks"/> for arm64 (Graviton), where
/// 128-bit vectors are the widest accelerated. AdvSimd has no movemask (x64's pmovmskb), so ExtractMostSignificantBits
/// is several instructions per 16 bytes there; here the four compare masks of a 64-byte block become one 64-bit mask at
/// once: every byte keeps the weight of its bit (1 to 128 by its place in its 8-byte half) and three rounds of pairwise
/// adds sum each 8 bytes into one byte of the mask (the arm64 approach of simdjson). Called only when
/// <c>AdvSimd.Arm64.IsSupported</c>, a constant the compiler folds: x64 keeps its own paths untouched. The masks equal
/// the scalar definitions; the tests that run the arm64 binary under qemu compare its reports with x64's
/// (Arm64BinaryTests), since no x64 test can execute this code.
/// </summary>
internal static class AdvSimdMasks
{
    /// <summary>Bit i of the result is the top bit of byte i of the 64 bytes m0..m3 (each byte 0x00 or 0xFF).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MoveMask(Vector128<byte> m0, Vector128<byte> m1, Vector128<byte> m2, Vector128<byte> m3)
    {
        var weights = Vector128.Create((byte)1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);
        var sum01 = AdvSimd.Arm64.AddPairwise(m0 & weights, m1 & weights);
        var sum23 = AdvSimd.Arm64.AddPairwise(m2 & weights, m3 & weights);
        var sum = AdvSimd.Arm64.AddPairwise(sum01, sum23);
        return AdvSimd.Arm64.AddPairwise(sum, sum).AsUInt64().ToScalar();
    }

    /// <summary><see cref="ByteMasks.Classify(ref byte, byte)"/> for arm64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteMasks.Classes Classify(ref byte at, byte delimiter)
    {
        var (v0, v1, v2, v3) = Load(ref at);
        return new ByteMasks.Classes(
            Equal(v0, v1, v2, v3, delimiter),
            Equal(v0, v1, v2, v3, (byte)'\n'),
            Equal(v0, v1, v2, v3, (byte)'\r'),
            Equal(v0, v1, v2, v3, 0),
            MoveMask(HighBit(v0), HighBit(v1), HighBit(v2), HighBit(v3)));

        static Vector128<byte> HighBit(Vector128<byte> v) => Vector128.ShiftRightArithmetic(v.AsSByte(), 7).AsByte();
    }

    /// <summary><see cref="ByteMasks.ClassifyField(ref byte)"/> for arm64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ByteMasks.FieldClasses ClassifyField(ref byte at)
    {
        var (v0, v1, v2, v3) = Load(ref at);
        return new ByteMasks.FieldClasses(
            MoveMask(Digit(v0), Digit(v1), Digit(v2), Digit(v3)),
            Equal(v0, v1, v2, v3, (byte)','),
            Equal(v0, v1, v2, v3, (byte)'t'),
            Equal(v0, v1, v2, v3, (byte)' '));

        static Vector128<byte> Digit(Vector128<byte> v) => Vector128.LessThan(v - Vector128.Create((byte)'0'), Vector128.Create((byte)10));
    }

    /// <summary><see cref="Utf8Blocks.TwoByteClasses(ref byte)"/> for arm64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong Continuations, ulong Uncommon) TwoByteClasses(ref byte at)
    {
        var (v0, v1, v2, v3) = Load(ref at);
        return (MoveMask(Continuation(v0), Continuation(v1), Continuation(v2), Continuation(v3)),
            MoveMask(Uncommon(v0), Uncommon(v1), Uncommon(v2), Uncommon(v3)));

        static Vector128<byte> Continuation(Vector128<byte> v) => Vector128.LessThan(v.AsSByte(), Vector128.Create((sbyte)-64)).AsByte(); // 80..BF
        static Vector128<byte> Uncommon(Vector128<byte> v) => // C0, C1 and E0..FF
            Vector128.GreaterThanOrEqual(v, Vector128.Create((byte)0xE0)) | Vector128.Equals(v & Vector128.Create((byte)0xFE), Vector128.Create((byte)0xC0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<byte>, Vector128<byte>, Vector128<byte>, Vector128<byte>) Load(ref byte at) =>
        (Vector128.LoadUnsafe(ref at), Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 16)),
            Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 32)), Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 48)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Equal(Vector128<byte> v0, Vector128<byte> v1, Vector128<byte> v2, Vector128<byte> v3, byte value)
    {
        var match = Vector128.Create(value);
        return MoveMask(Vector128.Equals(v0, match), Vector128.Equals(v1, match), Vector128.Equals(v2, match), Vector128.Equals(v3, match));
    }
}
