namespace IngestLambda.Core.Schemas;

/// <summary>
/// A date layout: Table Schema's <c>default</c> (<c>yyyy-mm-dd</c>) or a strptime-style pattern of <c>%Y</c> (4 digits),
/// <c>%m</c> and <c>%d</c> (2 digits each), <c>%%</c> and literal characters, e.g. <c>%d/%m/%Y</c>. Dates must exist
/// in the calendar (no 2023-02-29).
/// </summary>
internal sealed class DateFormat
{
    private readonly (char Part, byte Literal)[] _parts; // Part: 'Y', 'm', 'd', or '\0' for a literal byte

    private DateFormat(string text, (char, byte)[] parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>The format as the contract wrote it.</summary>
    public string Text { get; }

    /// <summary>How the format reads for a person: <c>yyyy-mm-dd</c>, <c>dd/mm/yyyy</c>.</summary>
    public string Shape => string.Concat(_parts.Select(p => p.Part switch { 'Y' => "yyyy", 'm' => "mm", 'd' => "dd", _ => ((char)p.Literal).ToString() }));

    public static DateFormat Default { get; } = Parse("%Y-%m-%d", out _)!;

    /// <summary>Reads a format; null with the reason when it is not one this validator supports.</summary>
    public static DateFormat? Parse(string format, out string? problem)
    {
        problem = null;
        if (format == "default")
            return Default;
        var parts = new List<(char, byte)>();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c > 0x7F)
            {
                problem = "only ASCII characters are supported in a date format";
                return null;
            }
            if (c != '%')
            {
                parts.Add(('\0', (byte)c));
                continue;
            }
            var directive = i + 1 < format.Length ? format[++i] : '\0';
            switch (directive)
            {
                case 'Y' or 'm' or 'd': parts.Add((directive, 0)); break;
                case '%': parts.Add(('\0', (byte)'%')); break;
                default:
                    problem = $"'%{directive}' is not supported: a date format may use %Y, %m, %d, %% and literal characters, or be \"default\"";
                    return null;
            }
        }
        foreach (var needed in "Ymd")
        {
            if (parts.Count(p => p.Item1 == needed) != 1)
            {
                problem = "a date format needs %Y, %m and %d exactly once each";
                return null;
            }
        }
        return new DateFormat(format, [.. parts]);
    }

    /// <summary>Reads a date written in this format.</summary>
    public bool TryParse(ReadOnlySpan<byte> text, out DateOnly date)
    {
        date = default;
        int year = 0, month = 0, day = 0, at = 0;
        foreach (var (part, literal) in _parts)
        {
            var width = part switch { 'Y' => 4, '\0' => 1, _ => 2 };
            if (at + width > text.Length)
                return false;
            if (part == '\0')
            {
                if (text[at] != literal)
                    return false;
            }
            else
            {
                var digits = text.Slice(at, width);
                if (digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
                    return false;
                var value = 0;
                foreach (var digit in digits)
                    value = value * 10 + (digit - '0');
                if (part == 'Y')
                    year = value;
                else if (part == 'm')
                    month = value;
                else
                    day = value;
            }
            at += width;
        }
        if (at != text.Length || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        date = new DateOnly(year, month, day);
        return true;
    }
}
