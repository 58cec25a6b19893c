using System.Text;

namespace IngestLambda.Core.Validation;

/// <summary>Short, printable excerpts of raw bytes for error reports.</summary>
internal static class Excerpt
{
    public const int MaxChars = 60;

    /// <summary>
    /// Decodes UTF-8 for display: invalid bytes become <c>\xNN</c>, control characters are escaped
    /// (<c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\0</c>, <c>\u001B</c>), and long text is cut with an ellipsis.
    /// </summary>
    public static string Of(ReadOnlySpan<byte> bytes, int maxChars = MaxChars)
    {
        var sb = new StringBuilder(Math.Min(bytes.Length, maxChars) + 8);
        while (!bytes.IsEmpty)
        {
            if (sb.Length >= maxChars)
            {
                sb.Append('…');
                break;
            }
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                sb.Append("\\x").Append(bytes[0].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                bytes = bytes[1..];
                continue;
            }
            AppendPrintable(sb, rune);
            bytes = bytes[consumed..];
        }
        return sb.ToString();
    }

    private static void AppendPrintable(StringBuilder sb, Rune rune)
    {
        switch (rune.Value)
        {
            case '\r': sb.Append("\\r"); break;
            case '\n': sb.Append("\\n"); break;
            case '\t': sb.Append("\\t"); break;
            case 0: sb.Append("\\0"); break;
            case < 0x20 or 0x7F:
                sb.Append("\\u").Append(rune.Value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                break;
            default: sb.Append(rune.ToString()); break;
        }
    }
}
