using System.Globalization;
using System.Text;

namespace IngestLambda.Lake.Trusted;

/// <summary>
/// Reads a validated field's UTF-8 text as its Parquet value. The validator has already judged the text, so a false
/// answer here means the value is valid but out of the Parquet type's range (docs/contracts.md "Trusted zone").
/// </summary>
internal static class FieldConversion
{
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;
    private const NumberStyles NumberStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static bool TryInt32(ReadOnlySpan<byte> text, out int value) =>
        int.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out value);

    public static bool TryInt64(ReadOnlySpan<byte> text, out long value) =>
        long.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out value);

    /// <summary>A finite double, or NaN/INF/-INF as Table Schema spells them; a finite text beyond DOUBLE's range is false.</summary>
    public static bool TryDouble(ReadOnlySpan<byte> text, char decimalChar, out double value)
    {
        if (text.SequenceEqual("NaN"u8)) { value = double.NaN; return true; }
        if (text.SequenceEqual("INF"u8)) { value = double.PositiveInfinity; return true; }
        if (text.SequenceEqual("-INF"u8)) { value = double.NegativeInfinity; return true; }
        if (decimalChar != '.' && text.IndexOf((byte)decimalChar) >= 0)
        {
            Span<byte> copy = text.Length <= 256 ? stackalloc byte[text.Length] : new byte[text.Length];
            text.CopyTo(copy);
            copy.Replace((byte)decimalChar, (byte)'.');
            return TryFinite(copy, out value);
        }
        return TryFinite(text, out value);
    }

    private static bool TryFinite(ReadOnlySpan<byte> text, out double value) =>
        double.TryParse(text, NumberStyle, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>A <c>yyyy-mm-dd</c> date.</summary>
    public static bool TryDate(ReadOnlySpan<byte> text, out DateOnly value)
    {
        value = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !int.TryParse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.Slice(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(text.Slice(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        value = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>True or false by the column's spellings, given as UTF-8.</summary>
    public static bool TryBoolean(ReadOnlySpan<byte> text, byte[][] trueSpellings, byte[][] falseSpellings, out bool value)
    {
        value = Matches(text, trueSpellings);
        return value || Matches(text, falseSpellings);
    }

    private static bool Matches(ReadOnlySpan<byte> text, byte[][] spellings)
    {
        foreach (var spelling in spellings)
        {
            if (text.SequenceEqual(spelling))
                return true;
        }
        return false;
    }

    public static byte[][] Utf8(IReadOnlyList<string> spellings) => [.. spellings.Select(Encoding.UTF8.GetBytes)];
}
