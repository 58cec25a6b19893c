namespace IngestLambda.Core.Schemas;

/// <summary>
/// A number as written, read exactly: integers of any length and decimals compare without rounding, so a bound of 10
/// rejects 10.0000000000000001 and a 30-digit count is still a whole number. The forms read are the contract format's
/// (docs/contracts.md "Dataset contracts"): <c>-?[0-9]+</c> for integers (no "-0"), and for numbers <c>-?[0-9]+(D[0-9]+)?([eE][-+]?[0-9]+)?</c>
/// with the decimal character D, or <c>NaN</c>, <c>INF</c>, <c>-INF</c> in any case.
/// </summary>
internal readonly ref struct DecimalText
{
    private enum Kind : byte { Finite, NaN, Infinite }

    private readonly ReadOnlySpan<byte> _integer;  // digits before the decimal character, leading zeros stripped
    private readonly ReadOnlySpan<byte> _fraction; // digits after it, trailing zeros stripped
    private readonly long _exponent;
    private readonly Kind _kind;

    private DecimalText(bool negative, ReadOnlySpan<byte> integer, ReadOnlySpan<byte> fraction, long exponent, Kind kind)
    {
        Negative = negative;
        _integer = integer;
        _fraction = fraction;
        _exponent = exponent;
        _kind = kind;
    }

    public bool Negative { get; }

    public bool IsNaN => _kind == Kind.NaN;

    /// <summary>Reads an integer: an optional '-', then digits.</summary>
    public static bool TryParseInteger(ReadOnlySpan<byte> text, out DecimalText value)
    {
        value = default;
        var negative = !text.IsEmpty && text[0] == (byte)'-';
        var digits = negative ? text[1..] : text;
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            return false;
        var significant = digits.TrimStart((byte)'0');
        if (negative && significant.IsEmpty)
            return false; // "-0": a minus sign stands only before a value below zero
        value = new DecimalText(negative, significant, default, 0, Kind.Finite);
        return true;
    }

    /// <summary>Reads a number with <paramref name="decimalChar"/> as its decimal separator.</summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> text, byte decimalChar, out DecimalText value)
    {
        value = default;
        var negative = !text.IsEmpty && text[0] == (byte)'-';
        var rest = negative ? text[1..] : text;
        if (Special(rest) is { } special)
        {
            if (special == Kind.NaN && negative)
                return false;
            value = new DecimalText(negative, default, default, 0, special);
            return true;
        }
        var integerLength = rest.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (integerLength < 0)
            integerLength = rest.Length;
        if (integerLength == 0)
            return false;
        var integer = rest[..integerLength];
        rest = rest[integerLength..];
        ReadOnlySpan<byte> fraction = default;
        if (!rest.IsEmpty && rest[0] == decimalChar)
        {
            var fractionLength = rest[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            if (fractionLength < 0)
                fractionLength = rest.Length - 1;
            if (fractionLength == 0)
                return false;
            fraction = rest.Slice(1, fractionLength);
            rest = rest[(1 + fractionLength)..];
        }
        long exponent = 0;
        if (!rest.IsEmpty)
        {
            if ((rest[0] | 0x20) != (byte)'e' || !TryParseExponent(rest[1..], out exponent))
                return false;
        }
        value = new DecimalText(negative, integer.TrimStart((byte)'0'), fraction.TrimEnd((byte)'0'), exponent, Kind.Finite);
        return true;
    }

    private static Kind? Special(ReadOnlySpan<byte> text) =>
        System.Text.Ascii.EqualsIgnoreCase(text, "NaN"u8) ? Kind.NaN
        : System.Text.Ascii.EqualsIgnoreCase(text, "INF"u8) ? Kind.Infinite
        : null;

    private static bool TryParseExponent(ReadOnlySpan<byte> text, out long exponent)
    {
        exponent = 0;
        var negative = !text.IsEmpty && text[0] == (byte)'-';
        if (!text.IsEmpty && text[0] is (byte)'-' or (byte)'+')
            text = text[1..];
        if (text.IsEmpty || text.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            return false;
        foreach (var digit in text)
            exponent = Math.Min(exponent * 10 + (digit - '0'), 1_000_000_000_000); // far beyond any digit count
        if (negative)
            exponent = -exponent;
        return true;
    }

    /// <summary>
    /// Compares two values: negative, zero or positive as <paramref name="a"/> is below, equal to or above
    /// <paramref name="b"/>. NaN compares below everything (callers reject it before any bound).
    /// </summary>
    public static int Compare(DecimalText a, DecimalText b)
    {
        if (a.IsNaN || b.IsNaN)
            return a.IsNaN == b.IsNaN ? 0 : a.IsNaN ? -1 : 1;
        var signA = a.Sign;
        var signB = b.Sign;
        if (signA != signB)
            return signA.CompareTo(signB);
        var magnitude = CompareMagnitude(a, b);
        return signA < 0 ? -magnitude : magnitude;
    }

    private int Sign => _kind == Kind.Infinite ? (Negative ? -1 : 1)
        : SignificantLength == 0 ? 0 : Negative ? -1 : 1;

    /// <summary>The digits of the value without leading or trailing zeros: integer part, then fraction.</summary>
    private int SignificantLength =>
        _integer.IsEmpty ? _fraction.Length - LeadingFractionZeros
        : _fraction.IsEmpty ? _integer.TrimEnd((byte)'0').Length
        : _integer.Length + _fraction.Length;

    private int LeadingFractionZeros => _integer.IsEmpty ? _fraction.Length - _fraction.TrimStart((byte)'0').Length : 0;

    /// <summary>Where the decimal point falls after the first significant digit's position: value = 0.DIGITS × 10^this.</summary>
    private long PointPosition => (_integer.IsEmpty ? -LeadingFractionZeros : _integer.Length) + _exponent;

    private byte SignificantDigit(int i)
    {
        if (_integer.IsEmpty)
            return _fraction[LeadingFractionZeros + i];
        return i < _integer.Length ? _integer[i] : _fraction[i - _integer.Length];
    }

    private static int CompareMagnitude(DecimalText a, DecimalText b)
    {
        var infiniteA = a._kind == Kind.Infinite;
        var infiniteB = b._kind == Kind.Infinite;
        if (infiniteA || infiniteB)
            return infiniteA == infiniteB ? 0 : infiniteA ? 1 : -1;
        var lengthA = a.SignificantLength;
        var lengthB = b.SignificantLength;
        if (lengthA == 0 || lengthB == 0)
            return lengthA.CompareTo(lengthB); // both zero, or only one is
        if (a.PointPosition != b.PointPosition)
            return a.PointPosition.CompareTo(b.PointPosition);
        for (var i = 0; i < Math.Min(lengthA, lengthB); i++)
        {
            var digit = a.SignificantDigit(i).CompareTo(b.SignificantDigit(i));
            if (digit != 0)
                return digit;
        }
        return lengthA.CompareTo(lengthB); // no trailing zeros: the longer has more after the shared digits
    }
}
