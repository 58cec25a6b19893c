namespace IngestLambda.Lake;

/// <summary>
/// S3's event <c>sequencer</c>: a hexadecimal value that orders the events of one key. S3 documents the comparison:
/// pad the shorter value with leading zeros, then compare as hexadecimal numbers (values of different keys, and
/// lengths, are not comparable otherwise).
/// </summary>
internal static class Sequencer
{
    /// <summary>Far longer than any sequencer S3 sends (18 hex digits today); a longer value is not trusted.</summary>
    private const int MaxLength = 64;

    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && value.All(char.IsAsciiHexDigit);

    /// <summary>Negative when <paramref name="a"/> is older than <paramref name="b"/>, zero when equal, positive when newer.</summary>
    public static int Compare(string a, string b)
    {
        if (!IsValid(a) || !IsValid(b))
            throw new ArgumentException($"Not a sequencer: '{(IsValid(a) ? b : a)}'.");
        var width = Math.Max(a.Length, b.Length);
        return string.Compare(a.PadLeft(width, '0'), b.PadLeft(width, '0'), StringComparison.OrdinalIgnoreCase);
    }
}
