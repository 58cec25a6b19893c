namespace IngestLambda.DataGen;

/// <summary>The datasets the generator imitates (docs/contracts.md "Data rules").</summary>
public enum Dataset
{
    Movies,
    Series,
}

/// <summary>How a synthetic file is laid out on disk; the content does not change with these.</summary>
public sealed record SyntheticOptions
{
    /// <summary>End lines with CRLF instead of LF.</summary>
    public bool Crlf { get; init; }

    /// <summary>Start the file with a UTF-8 byte-order mark.</summary>
    public bool Bom { get; init; }

    /// <summary>Terminate the last line too (the real files do).</summary>
    public bool FinalNewline { get; init; } = true;

    /// <summary>
    /// The same data in a quoted dialect: comma-separated, every field quoted (RFC 4180, a quote inside written twice)
    /// except <c>\N</c> and numbers. For the quoted scanner's benchmark and tests.
    /// </summary>
    public bool Quoted { get; init; }

    public static SyntheticOptions Default { get; } = new();
}

/// <summary>How much to write: a row count, or a byte budget the file never exceeds (but always at least one data row).</summary>
public readonly record struct SyntheticSize
{
    private SyntheticSize(long value, bool isBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
        Value = value;
        IsBytes = isBytes;
    }

    public long Value { get; }
    public bool IsBytes { get; }

    public static SyntheticSize Rows(long rows) => new(rows, isBytes: false);
    public static SyntheticSize Bytes(long bytes) => new(bytes, isBytes: true);

    public override string ToString() => IsBytes ? $"{Value} bytes" : $"{Value} rows";
}

/// <summary>What was written.</summary>
/// <param name="Rows">Data rows (the header is not counted).</param>
/// <param name="Bytes">Every byte written, BOM and header included.</param>
public readonly record struct SyntheticFileInfo(long Rows, long Bytes);
