using System.Buffers.Text;

namespace IngestLambda.Core.Profiling;

/// <summary>
/// Reads a number as the profile needs it, fast for what the datasets hold (digits with at most one dot, a leading
/// minus): the digits as an integer divided by a power of ten, which is the correctly rounded double while the digits
/// fit 2^53. Anything else (exponents, long mantissas) goes to the general parser.
/// </summary>
internal static class DecimalNumber
{
    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    public static bool TryParse(ReadOnlySpan<byte> value, out double number)
    {
        var digits = value;
        var negative = !digits.IsEmpty && digits[0] == (byte)'-';
        if (negative)
            digits = digits[1..];
        if (digits.IsEmpty || digits.Length > 15)
            return General(value, out number);
        long mantissa = 0;
        var scale = -1;
        var anyDigit = false;
        foreach (var b in digits)
        {
            var digit = (uint)(b - '0');
            if (digit <= 9)
            {
                mantissa = mantissa * 10 + digit;
                anyDigit = true;
                if (scale >= 0)
                    scale++;
            }
            else if (b == (byte)'.' && scale < 0)
                scale = 0;
            else
                return General(value, out number);
        }
        if (!anyDigit)
            return General(value, out number);
        number = mantissa / PowersOfTen[Math.Max(scale, 0)];
        if (negative)
            number = -number;
        return true;
    }

    private static bool General(ReadOnlySpan<byte> value, out double number) =>
        Utf8Parser.TryParse(value, out number, out var consumed) && consumed == value.Length;
}
