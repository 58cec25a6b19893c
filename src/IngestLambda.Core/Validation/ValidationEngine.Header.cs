using System.Text;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

// Header matching: the first line names the dataset, or the report says which known header is closest.
internal sealed partial class ValidationEngine
{
    /// <summary>Reads the header line, recognises the dataset, and returns where the first data line starts.</summary>
    private int ScanHeader(ReadOnlySpan<byte> block, long blockOffset)
    {
        var lf = block.IndexOf((byte)'\n');
        var end = lf < 0 ? block.Length : lf;
        var crlf = lf > 0 && block[lf - 1] == (byte)'\r';
        var content = block[..(crlf ? end - 1 : end)];
        if (lf >= 0)
            CountLineEnding(crlf);
        _headerDone = true;

        if (content.Length > _options.MaxLineBytes)
        {
            AddError(new ValidationError(1, "", blockOffset, ErrorCodes.LineTooLong, LineTooLongMessage(), Excerpt.Of(content[..TooLongExcerptBytes])));
        }
        else
        {
            DatasetSchema? match = null;
            DatasetSchema? twin = null;
            foreach (var dataset in _options.Schemas.Datasets)
            {
                if (!content.SequenceEqual(dataset.HeaderBytes) && !QuotedHeaderMatches(content, dataset))
                    continue;
                if (match is null)
                    match = dataset;
                else
                    twin ??= dataset;
            }
            if (twin is not null)
                AddError(Ambiguous(match!, twin, content, blockOffset));
            else if (match is not null)
                UseDataset(match);
            else
                AddError(UnknownHeader(content, blockOffset));
        }
        _line++;
        return lf < 0 ? block.Length : lf + 1;
    }

    /// <summary>Reads the rest of the file as <paramref name="dataset"/>: its columns and dialect.</summary>
    private void UseDataset(DatasetSchema dataset)
    {
        _dataset = dataset;
        _columns = CompiledColumns.Of(dataset);
        _textColumns = TextColumns(_columns);
        _emptyLineIsFieldCountError = _columns.Length > 1;
        _textCheckBytes = _columns.Max(c => c.TextCheckBytes);
        _delimiter = (byte)dataset.Dialect.Delimiter;
        _quote = dataset.Dialect.QuoteChar is { } quote ? (byte)quote : (byte)0;
        StartHandingOn(dataset);
    }

    /// <summary>For a quoted dialect, whether the header names the columns with some or all of them quoted (<c>"id","title"</c>).</summary>
    private static bool QuotedHeaderMatches(ReadOnlySpan<byte> content, DatasetSchema dataset) =>
        dataset.Dialect.QuoteChar is { } quote && content.Contains((byte)quote)
        && HeaderNames(Encoding.UTF8.GetString(content), dataset.Dialect).SequenceEqual(dataset.Columns.Select(c => c.Name));

    /// <summary>The names of a header line in a dialect: split at delimiters outside quotes, each name without its quotes.</summary>
    internal static List<string> HeaderNames(string line, CsvDialect dialect)
    {
        if (dialect.QuoteChar is not { } quote)
            return [.. line.Split(dialect.Delimiter)];
        var names = new List<string>();
        var name = new StringBuilder();
        var inQuote = false;
        for (var k = 0; k < line.Length; k++)
        {
            var c = line[k];
            if (c == quote && inQuote && k + 1 < line.Length && line[k + 1] == quote)
                name.Append(line[++k]);
            else if (c == quote)
                inQuote = !inQuote;
            else if (c == dialect.Delimiter && !inQuote)
            {
                names.Add(name.ToString());
                name.Clear();
            }
            else
                name.Append(c);
        }
        names.Add(name.ToString());
        return names;
    }

    /// <summary>Two contracts claim this header (for this landing path): neither is chosen, and both are named.</summary>
    private static ValidationError Ambiguous(DatasetSchema first, DatasetSchema second, ReadOnlySpan<byte> content, long offset) =>
        new(1, "", offset, ErrorCodes.AmbiguousDataset,
            $"The header matches more than one dataset contract: {first.Described} and {second.Described}. A file must match exactly one; "
            + "give the contracts different landing prefixes (x-ingest-landingPrefix) or remove one.",
            Excerpt.Of(content, 200));

    private ValidationError UnknownHeader(ReadOnlySpan<byte> content, long offset)
    {
        if (_options.Schemas.Datasets.Count == 0)
        {
            return new ValidationError(1, "", offset, ErrorCodes.UnknownHeader,
                "No dataset contract applies to files landed at this path (every contract names another landing prefix).", Excerpt.Of(content, 200));
        }
        var line = Encoding.UTF8.GetString(content);
        var (closest, matching, names) = _options.Schemas.Datasets
            .Select(d => (Dataset: d, Names: HeaderNames(line, d.Dialect).ToArray()))
            .Select(x => (x.Dataset, Matching: x.Dataset.Columns.Zip(x.Names).Count(p => p.First.Name == p.Second), x.Names))
            .MaxBy(x => x.Matching);
        var expected = closest.Columns;
        var firstDiff = Enumerable.Range(0, Math.Max(expected.Count, names.Length))
            .First(i => i >= expected.Count || i >= names.Length || expected[i].Name != names[i]);
        var detail = firstDiff >= expected.Count
            ? $"it has {names.Length} columns, {closest.Name} has {expected.Count}; column {firstDiff + 1} '{names[firstDiff]}' is extra"
            : firstDiff >= names.Length
                ? $"it has {names.Length} columns, {closest.Name} has {expected.Count}; column {firstDiff + 1} '{expected[firstDiff].Name}' is missing"
                : $"column {firstDiff + 1} is '{names[firstDiff]}', expected '{expected[firstDiff].Name}'";
        var known = string.Join(", ", _options.Schemas.Datasets.Select(d => d.Name));
        return new ValidationError(1, firstDiff < expected.Count ? expected[firstDiff].Name : "", offset, ErrorCodes.UnknownHeader,
            $"The header matches no known dataset ({known}). Closest is {closest.Name} ({matching} of {expected.Count} columns match): {detail}.",
            Excerpt.Of(content, 200));
    }

}
