using System.Globalization;
using System.Text;

namespace IngestLambda.Events;

/// <summary>
/// Decodes object keys as S3 event messages carry them: application/x-www-form-urlencoded, so <c>+</c> is a space
/// and <c>%XX</c> is one byte of UTF-8 (moto also writes <c>/</c> as <c>%2F</c>). Strict: a malformed escape or
/// bytes that are not UTF-8 are an error, never guessed at, because a wrong guess names another object.
/// </summary>
public static class FormUrlKey
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryDecode(string encoded, out string decoded, out string? error)
    {
        decoded = "";
        error = null;
        var bytes = new List<byte>(encoded.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%')
            {
                if (i + 2 >= encoded.Length || !IsHex(encoded[i + 1]) || !IsHex(encoded[i + 2]))
                {
                    error = $"invalid percent-encoding at character {i}";
                    return false;
                }
                bytes.Add((byte)(HexValue(encoded[i + 1]) * 16 + HexValue(encoded[i + 2])));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                // Not expected from S3 (it escapes non-ASCII), but a hand-written event may carry raw text: keep it.
                var rune = Rune.TryGetRuneAt(encoded, i, out var r) ? r : Rune.ReplacementChar;
                if (rune == Rune.ReplacementChar && encoded[i] != '\uFFFD')
                {
                    error = $"unpaired surrogate at character {i}";
                    return false;
                }
                var written = rune.EncodeToUtf8(utf8);
                for (var b = 0; b < written; b++)
                    bytes.Add(utf8[b]);
                i += rune.Utf16SequenceLength - 1;
            }
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            error = "percent-encoded bytes are not valid UTF-8";
            return false;
        }
    }

    /// <summary>
    /// The form-URL encoding of a plain key (as EventBridge carries keys), so that every envelope hands the pipeline
    /// the key in S3's notification encoding and <see cref="TryDecode"/> gives back exactly <paramref name="key"/>.
    /// False when the key is not valid Unicode (an unpaired surrogate), which no S3 key can be.
    /// </summary>
    public static bool TryEncode(string key, out string encoded)
    {
        encoded = "";
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(key);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b == (byte)' ')
                text.Append('+');
            else if (b is (byte)'%' or (byte)'+' || b >= 0x80 || b < 0x20 || b == 0x7F)
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else
                text.Append((char)b);
        }
        encoded = text.ToString();
        return true;
    }

    /// <summary>
    /// Why a decoded key must not be ingested, or null when it is safe (docs/contracts.md, "Keys that are skipped"):
    /// <list type="bullet">
    /// <item>control characters, line and paragraph separators, and invisible format characters such as the bidi
    ///   controls (U+202E shows a name reversed): they cannot travel safely in logs or metadata, or they make a name
    ///   read as another; the zero-width joiner of emoji sequences (U+200D) is allowed;</item>
    /// <item><c>.</c>/<c>..</c> segments, with <c>/</c> or <c>\</c> as the separator: tools that normalise paths
    ///   (Windows ones take <c>\</c>) would resolve them outside the prefix the key seems to be under;</item>
    /// <item>an empty segment (<c>landing//movies.csv</c>, or a key starting with <c>/</c>): the destination would
    ///   hold <c>//</c>, which Hive-style tools read as another path; a trailing <c>/</c> is a folder marker, skipped
    ///   as such later.</item>
    /// </list>
    /// </summary>
    public static string? FindHostileContent(string key)
    {
        foreach (var c in key)
        {
            if (char.IsControl(c))
                return $"the key contains the control character U+{(int)c:X4}";
            if (IsInvisibleOrSeparator(c))
                return $"the key contains the invisible format, bidi or line-separator character U+{(int)c:X4}";
        }
        foreach (var segment in key.Split('/', '\\'))
        {
            if (segment is "." or "..")
                return $"the key contains a '{segment}' path segment";
        }
        var slashSegments = key.Split('/');
        if (slashSegments[..^1].Any(s => s.Length == 0))
            return "the key has an empty path segment ('//' or a leading '/')";
        return null;
    }

    /// <summary>Format characters (Unicode category Cf: bidi controls, zero-width spaces, BOM) but the emoji joiner, and U+2028/U+2029.</summary>
    private static bool IsInvisibleOrSeparator(char c) =>
        c != '\u200D' && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>
    /// The key as it is stored in object metadata: percent-encoded UTF-8 with <c>/</c> kept, because HTTP header values
    /// must be ASCII. Reversible with <see cref="Uri.UnescapeDataString(string)"/>.
    /// </summary>
    public static string ToMetadataValue(string key) => Uri.EscapeDataString(key).Replace("%2F", "/", StringComparison.Ordinal);

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
