namespace IngestLambda.Core.Schemas;

/// <summary>
/// How a dataset's files are written (Table Dialect; docs/contracts.md "Dataset contracts"): the byte between fields and, unless the
/// feed has no quoting, the quote character. Lines end with LF or CRLF, and the first line is the header.
/// </summary>
public sealed record CsvDialect
{
    /// <summary>The byte between fields: one ASCII character.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>The quote character, or null when quotes are ordinary text (the IMDB feeds).</summary>
    public char? QuoteChar { get; init; } = '"';

    /// <summary>Whether two quote characters inside a quoted field stand for one.</summary>
    public bool DoubleQuote { get; init; } = true;

    /// <summary>How messages name the dialect: <c>delimiter '|', no quoting</c>.</summary>
    public string Describe() => $"delimiter '{Delimiter}', {(QuoteChar is { } quote ? $"quoted with '{quote}'" : "no quoting")}";

    /// <summary>The IMDB feeds' dialect: '|' and no quoting.</summary>
    public static CsvDialect PipeUnquoted { get; } = new() { Delimiter = '|', QuoteChar = null };
}
