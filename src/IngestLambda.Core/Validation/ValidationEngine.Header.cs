using System.Text;

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
            foreach (var dataset in _options.Schemas.Datasets)
            {
                if (content.SequenceEqual(dataset.HeaderBytes))
                {
                    _dataset = dataset;
                    _columns = dataset.CompiledColumns;
                    _textColumns = TextColumns(_columns);
                    _emptyLineIsFieldCountError = _columns.Length > 1;
                    break;
                }
            }
            if (_columns is null)
                AddError(UnknownHeader(content, blockOffset));
        }
        _line++;
        return lf < 0 ? block.Length : lf + 1;
    }

    private ValidationError UnknownHeader(ReadOnlySpan<byte> content, long offset)
    {
        var names = Encoding.UTF8.GetString(content).Split('|');
        var (closest, matching) = _options.Schemas.Datasets
            .Select(d => (Dataset: d, Matching: d.Columns.Zip(names).Count(p => p.First.Name == p.Second)))
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
