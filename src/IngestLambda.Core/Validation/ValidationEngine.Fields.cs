using System.Numerics;
using IngestLambda.Core.Contracts;

namespace IngestLambda.Core.Validation;

// Field checks: each line's fields against the dataset's column rules, skipping what a repeated line shares.
internal sealed partial class ValidationEngine
{
    private ulong _textColumns; // bit f: column f is free text (set with the dataset)
    private bool _emptyLineIsFieldCountError; // the dataset has more than one column (set with the dataset)
    private int _textCheckBytes = 2; // free text longer than this cannot break its rule: it is no missing value and not empty
    private byte _delimiter = (byte)'|'; // the dataset's delimiter, once its header is known
    private int _lastSkippedFields; // how many leading fields the last measured line shared with the line before it

    private static ulong TextColumns(CompiledColumn[] columns)
    {
        ulong mask = 0;
        for (var f = 0; f < columns.Length; f++)
        {
            if (columns[f].Rule == Schemas.ColumnRule.Text)
                mask |= 1UL << f;
        }
        return mask;
    }

    /// <summary>Checks one line whose content is block[lineStart..contentEnd], with its '|' positions, then reports its errors.</summary>
    private void EndLine(ReadOnlySpan<byte> block, int lineStart, int contentEnd, Span<int> separators, int separatorCount, long blockOffset)
    {
        var fieldCount = separatorCount + 1;
        var validPrefixFields = 0; // fields of this line known valid without a look (see below)
        if (contentEnd - lineStart > _options.MaxLineBytes)
        {
            // As if streamed: a too-long line is reported once and its content is not judged.
            _pending.Clear();
            AddError(new ValidationError(_line, "", blockOffset + lineStart, ErrorCodes.LineTooLong, LineTooLongMessage(),
                Excerpt.Of(block.Slice(lineStart, TooLongExcerptBytes))));
        }
        else if (_columns is { } columns)
        {
            if (fieldCount == columns.Length)
            {
                separators[separatorCount] = contentEnd; // the last field ends where the content does
                var first = SkippableLeadingFields(block, lineStart, contentEnd, separators);
                if (Quoted)
                    CheckQuotedFields(block, lineStart, separators, first, columns, blockOffset);
                else
                    CheckFields(block, lineStart, separators, first, columns, blockOffset);
                validPrefixFields = _pending.Count == 0 ? columns.Length : FirstErrorField();
                HandOnRecord(block, lineStart, separators, columns, first);
            }
            else if (ListFull)
            {
                _errorCount++; // counted only: nothing to sort or describe
            }
            else
            {
                // Shifted columns make every field rule noise: say only that the count is wrong.
                _pending.Add(new PendingError(ErrorCodes.FieldCount, -1, blockOffset + lineStart,
                    lineStart, Math.Min(contentEnd, lineStart + Excerpt.MaxChars), fieldCount));
            }
        }
        if (_pending.Count != 0)
            FlushPending(block);
        _previousLineStart = lineStart;
        _previousLineEnd = contentEnd;
        _previousValidFields = validPrefixFields;
        _taintedFields = 0;
        _lineErrorKinds = 0;
        _rows++;
        _line++;
    }

    /// <summary>
    /// Judges fields <paramref name="first"/>.. of a line with the right field count. Not judged: a field with a
    /// reported bad byte, and free text longer than its missing values (only those and empty text can break a text rule; the delimiter, CR, LF,
    /// NUL and invalid UTF-8 are found by the scan). Columns are visited by bit mask, rule columns and text columns
    /// apart, so skipped fields cost nothing and text costs a length test (a schema has at most 64 columns:
    /// <see cref="Contracts.SchemaCatalog.MaxColumns"/>).
    /// </summary>
    private void CheckFields(ReadOnlySpan<byte> block, int lineStart, Span<int> separators, int first, CompiledColumn[] columns, long blockOffset)
    {
        var todo = ~_taintedFields & (ulong.MaxValue << first) & (ulong.MaxValue >> (64 - columns.Length));
        for (var rules = todo & ~_textColumns; rules != 0; rules &= rules - 1)
        {
            var f = BitOperations.TrailingZeroCount(rules);
            var fieldStart = f == 0 ? lineStart : separators[f - 1] + 1;
            var code = columns[f].Check(block, fieldStart, separators[f]);
            if (code is not null)
                AddFieldError(code, f, blockOffset, fieldStart, separators[f]);
        }
        var shortText = _textCheckBytes;
        for (var texts = todo & _textColumns; texts != 0; texts &= texts - 1)
        {
            var f = BitOperations.TrailingZeroCount(texts);
            var fieldStart = f == 0 ? lineStart : separators[f - 1] + 1;
            if (separators[f] - fieldStart <= shortText && columns[f].CheckValue(block[fieldStart..separators[f]]) is { } code)
                AddFieldError(code, f, blockOffset, fieldStart, separators[f]);
        }
    }

    /// <summary>
    /// One row per credited person repeats the title's columns byte for byte from the row before. A field whose bytes,
    /// column and neighbours equal a field the previous line had valid is valid too, so the leading fields the two lines
    /// share (up to and including their separator) and the previous line had valid are not checked again.
    /// </summary>
    /// <remarks>
    /// Lines of one title share the same number of leading fields, so the count found for the line before is tried
    /// first, with one comparison of the bytes up to its separator; only when that fails is the shared prefix measured.
    /// </remarks>
    private int SkippableLeadingFields(ReadOnlySpan<byte> block, int lineStart, int contentEnd, ReadOnlySpan<int> separators)
    {
        if (_previousValidFields == 0 || _previousLineEnd > lineStart || _previousLineStart >= lineStart)
            return 0; // no previous line in this block, or it had an error in its first field
        var previous = block[_previousLineStart.._previousLineEnd];
        var line = block[lineStart..contentEnd];
        var limit = Math.Min(_previousValidFields, separators.Length);
        var guess = Math.Min(_lastSkippedFields, limit);
        if (guess > 0)
        {
            var through = separators[guess - 1] - lineStart + 1; // up to and including the guess-th '|'
            if (through <= previous.Length && previous[..through].SequenceEqual(line[..through]))
                return guess;
        }
        var common = previous.CommonPrefixLength(line);
        var skippable = 0;
        while (skippable < limit && separators[skippable] - lineStart < common)
            skippable++; // field `skippable` and its '|' are inside the shared prefix
        _lastSkippedFields = skippable;
        return skippable;
    }

    private int FirstErrorField()
    {
        var first = int.MaxValue;
        foreach (var e in _pending)
        {
            if (e.FieldIndex >= 0)
                first = Math.Min(first, e.FieldIndex);
        }
        return first == int.MaxValue ? 0 : first;
    }

}
