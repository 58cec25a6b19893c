using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace IngestLambda.Core.Validation;

// Quoted dialects, the scan: the unquoted hot loop (ValidationEngine.Scan.cs) with quote masks. Per 64-byte block the
// bytes inside quotes come from a prefix XOR (QuoteMasks); delimiters and line feeds inside quotes are data. RFC 4180
// is checked on the same masks: an opening quote must start a field (or follow a closing quote: a doubled quote), and
// a closing quote must be followed by the delimiter, a line end, the end of the file or another quote. Anything else
// is a bad-quote, found on the rare path with NULs and bare CRs.
internal sealed partial class ValidationEngine
{
    private const string MisplacedQuote =
        "Misplaced quote: a quoted field starts with the quote character and ends with one right before the delimiter or the line end, "
        + "a quote inside it is written twice, and an unquoted field holds none.";

    private byte[] _unescaped = []; // scratch: a quoted field with doubled quotes, read as one
    private bool _doubledQuotes;    // the record being ended holds a doubled quote: only then are fields searched for one

    /// <summary>
    /// Scans the records of <paramref name="block"/> from <paramref name="pos"/> (a record start) and checks every one
    /// that ends in it, or at its end when <paramref name="isFinal"/>. Returns where the first unfinished record starts
    /// (the block's length when none), with the quote state at the end of the block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ScanQuotedRecords(ReadOnlySpan<byte> block, int pos, long blockOffset, bool isFinal, out QuoteCarry quotesAtEnd)
    {
        var utf8 = new Utf8Blocks();
        var checkUtf8PerRecord = false;
        Span<byte> tail = stackalloc byte[ByteMasks.BlockBytes];
        Span<int> scratch = stackalloc int[MaxTrackedSeparators + 1 + ByteMasks.BlockBytes];
        var separators = scratch[..(MaxTrackedSeparators + 1)];
        ref var separator0 = ref MemoryMarshal.GetReference(scratch);
        var count = 0;
        var recordStart = pos;
        long quotedLineFeeds = 0; // line feeds inside quotes of the current record so far
        var doubled = false;      // the current record holds a doubled quote so far
        var carry = QuoteCarry.RecordStart;
        _previousValidFields = 0;

        var delimiter = _delimiter;
        var quote = _quote;
        for (var i = pos; i < block.Length; i += ByteMasks.BlockBytes)
        {
            ref var at = ref QuoteMasks.BlockAt(block, i, tail, out var last);
            var valid = ulong.MaxValue >> (ByteMasks.BlockBytes - 1 - last);
            var classes = ByteMasks.Classify(ref at, delimiter);
            var quotes = QuoteMasks.Of(ref at, quote);
            if (!checkUtf8PerRecord && !utf8.Accept(ref at, classes.HighBits))
                checkUtf8PerRecord = true;
            var closedBefore = carry.AfterCloser;
            var inside = QuoteMasks.Resolve(ref quotes, classes.Delimiters, classes.LineFeeds, ref carry, out var faults, last); // stray quotes
            var delimiters = classes.Delimiters & ~inside;
            var lineFeeds = classes.LineFeeds & ~inside;
            var quotedFeeds = classes.LineFeeds & inside;
            var doubles = 0UL; // the second quote of each doubled quote: an opening quote right after a closing one
            if ((quotes | closedBefore) != 0)
            {
                doubles = ((quotes & ~inside) << 1 | closedBefore) & quotes & inside;
                // A closing quote must be followed by the delimiter, a line end, another quote or the end of the data;
                // one at bit 63 is judged on the next block's byte 0.
                var followers = classes.Delimiters | classes.LineFeeds | classes.CarriageReturns | quotes;
                faults |= quotes & ~inside & ~((followers >> 1) | (~valid >> 1)) & (ulong.MaxValue >> 1);
                if (closedBefore != 0 && (followers & 1) == 0)
                    AddLineError(block, recordStart, count, i - 1, blockOffset, ErrorCodes.BadQuote, MisplacedQuote);
            }

            if ((classes.Nuls | (classes.CarriageReturns & ~inside & ~(classes.LineFeeds >> 1)) | faults) != 0)
            {
                _doubledQuotes = true; // not tracked here: every field is searched
                (count, recordStart, quotedLineFeeds) = ScanQuotedRareBlock(block, i, delimiters, lineFeeds, quotedFeeds, classes.Nuls | faults,
                    classes.CarriageReturns & ~inside, separators, count, recordStart, quotedLineFeeds, checkUtf8PerRecord, blockOffset);
                doubled = true; // and for the record it leaves unfinished
                continue;
            }
            for (; lineFeeds != 0; lineFeeds &= lineFeeds - 1)
            {
                var bit = BitOperations.TrailingZeroCount(lineFeeds);
                var below = (1UL << bit) - 1;
                var before = delimiters & below;
                count = AddSeparators(ref separator0, count, i, before);
                delimiters ^= before;
                quotedLineFeeds += BitOperations.PopCount(quotedFeeds & below);
                quotedFeeds &= ~below;
                _doubledQuotes = doubled || (doubles & below) != 0;
                doubles &= ~below;
                doubled = false;
                recordStart = EndQuotedRecordAt(block, i + bit, recordStart, separators, count, blockOffset, quotedLineFeeds, checkUtf8PerRecord);
                count = 0;
                quotedLineFeeds = 0;
            }
            count = AddSeparators(ref separator0, count, i, delimiters);
            quotedLineFeeds += BitOperations.PopCount(quotedFeeds);
            doubled |= doubles != 0;
        }

        quotesAtEnd = carry;
        if (recordStart == block.Length)
            return recordStart;
        if (!isFinal)
        {
            // The unfinished record is checked again, whole, once its end arrives: drop what was noted about it.
            _pending.Clear();
            _taintedFields = 0;
            _lineErrorKinds = 0;
            return recordStart;
        }
        if (checkUtf8PerRecord || utf8.InsideSequence)
            CheckRecordUtf8(block, recordStart, block.Length, blockOffset);
        if (carry.IsInQuote)
            AddUnclosedQuote(block, recordStart, blockOffset);
        _doubledQuotes = true;
        EndLine(block, recordStart, block.Length, separators, count, blockOffset); // the last record has no terminator
        _line += quotedLineFeeds;
        return block.Length;
    }

    /// <summary>Ends the record whose line feed is at <paramref name="lineFeed"/>; returns where the next one starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int EndQuotedRecordAt(ReadOnlySpan<byte> block, int lineFeed, int recordStart, Span<int> separators, int count, long blockOffset,
        long quotedLineFeeds, bool checkUtf8)
    {
        var crlf = lineFeed > recordStart && block[lineFeed - 1] == (byte)'\r';
        CountLineEnding(crlf);
        if (checkUtf8)
            CheckRecordUtf8(block, recordStart, lineFeed, blockOffset);
        EndLine(block, recordStart, crlf ? lineFeed - 1 : lineFeed, separators, count, blockOffset);
        _line += quotedLineFeeds; // the record's own lines: the next record starts that many lines further
        return lineFeed + 1;
    }

    /// <summary>
    /// A block holding a NUL, a CR outside quotes that does not directly precede an LF, or a misplaced quote: every
    /// delimiter, line end and fault in order, as <see cref="ScanRareBlock"/> does for the unquoted dialect.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private (int Count, int RecordStart, long QuotedLineFeeds) ScanQuotedRareBlock(ReadOnlySpan<byte> block, int i, ulong delimiters, ulong lineFeeds,
        ulong quotedFeeds, ulong faults, ulong carriageReturns, Span<int> separators, int count, int recordStart, long quotedLineFeeds,
        bool checkUtf8, long blockOffset)
    {
        for (var mask = delimiters | lineFeeds | faults | carriageReturns; mask != 0; mask &= mask - 1)
        {
            var bit = mask & (0 - mask);
            var p = i + BitOperations.TrailingZeroCount(mask);
            if ((delimiters & bit) != 0)
            {
                separators[Math.Min(count, MaxTrackedSeparators)] = p;
                count++;
            }
            else if ((lineFeeds & bit) != 0)
            {
                quotedLineFeeds += BitOperations.PopCount(quotedFeeds & (bit - 1));
                quotedFeeds &= ~(bit - 1);
                recordStart = EndQuotedRecordAt(block, p, recordStart, separators, count, blockOffset, quotedLineFeeds, checkUtf8);
                count = 0;
                quotedLineFeeds = 0;
            }
            else if ((faults & bit) != 0)
            {
                AddLineError(block, recordStart, count, p, blockOffset, block[p] == 0 ? ErrorCodes.NulByte : ErrorCodes.BadQuote, MisplacedQuote);
            }
            else if (p + 1 >= block.Length || block[p + 1] != (byte)'\n')
            {
                AddLineError(block, recordStart, count, p, blockOffset, ErrorCodes.BareCr); // a CR outside quotes that ends no line
            }
        }
        return (count, recordStart, quotedLineFeeds + BitOperations.PopCount(quotedFeeds));
    }

    /// <summary>
    /// Judges the fields of a record with the right field count as <see cref="CheckFields"/> does, on each field's
    /// value: without its enclosing quotes, and with a doubled quote read as one.
    /// </summary>
    private void CheckQuotedFields(ReadOnlySpan<byte> block, int lineStart, Span<int> separators, int first, CompiledColumn[] columns, long blockOffset)
    {
        var todo = ~_taintedFields & (ulong.MaxValue << first) & (ulong.MaxValue >> (64 - columns.Length));
        for (var rules = todo & ~_textColumns; rules != 0; rules &= rules - 1)
        {
            var f = BitOperations.TrailingZeroCount(rules);
            var fieldStart = f == 0 ? lineStart : separators[f - 1] + 1;
            var (start, end) = Unquote(block, fieldStart, separators[f]);
            var code = _doubledQuotes && block[start..end].Contains(_quote) ? columns[f].CheckValue(Unescape(block[start..end])) : columns[f].Check(block, start, end);
            if (code is not null)
                AddFieldError(code, f, blockOffset, fieldStart, separators[f]);
        }
        for (var texts = todo & _textColumns; texts != 0; texts &= texts - 1)
        {
            var f = BitOperations.TrailingZeroCount(texts);
            var fieldStart = f == 0 ? lineStart : separators[f - 1] + 1;
            if (separators[f] - fieldStart > _textCheckBytes + 2)
                continue; // even without its quotes, too long to be a missing value or empty
            var value = FieldValue(block, fieldStart, separators[f]);
            if (value.Length <= _textCheckBytes && columns[f].CheckValue(value) is { } code)
                AddFieldError(code, f, blockOffset, fieldStart, separators[f]);
        }
    }

    /// <summary>The value's bytes of a field: inside its quotes when it is quoted (a field with a misplaced quote is tainted and never judged).</summary>
    private (int Start, int End) Unquote(ReadOnlySpan<byte> block, int start, int end) =>
        end - start >= 2 && block[start] == _quote ? (start + 1, end - 1) : (start, end);

    /// <summary>A quoted field's content with each doubled quote read as one.</summary>
    private ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> content)
    {
        if (_unescaped.Length < content.Length)
            _unescaped = new byte[Math.Max(content.Length, 256)];
        var length = 0;
        for (var k = 0; k < content.Length; k++)
        {
            _unescaped[length++] = content[k];
            if (content[k] == _quote && k + 1 < content.Length && content[k + 1] == _quote)
                k++;
        }
        return _unescaped.AsSpan(0, length);
    }

    /// <summary>The end of the file inside a quoted field: reported at the quote that opened it.</summary>
    private void AddUnclosedQuote(ReadOnlySpan<byte> block, int recordStart, long blockOffset)
    {
        var (field, opening) = OpenQuote(block, recordStart);
        Taint(field);
        _pending.Add(new PendingError(ErrorCodes.BadQuote, field, blockOffset + opening, opening,
            Math.Min(block.Length, opening + Excerpt.MaxChars), Message: "The quoted field that starts here is never closed: the file ends inside it."));
    }

    /// <summary>Which field of the record is left open at its end, and where its opening quote is (a rare path: byte by byte).</summary>
    private (int Field, int Opening) OpenQuote(ReadOnlySpan<byte> block, int recordStart)
    {
        var walker = new QuoteWalker(_delimiter, _quote);
        var previous = QuoteWalker.Kind.Delimiter; // the record start is a field start
        int field = 0, opening = recordStart;
        for (var p = recordStart; p < block.Length; p++)
        {
            var kind = walker.Next(block[p]);
            if (kind == QuoteWalker.Kind.Opening && previous == QuoteWalker.Kind.Delimiter)
                opening = p; // a field's opening quote, not the second of a doubled one
            else if (kind == QuoteWalker.Kind.Delimiter)
                field++;
            previous = kind;
        }
        return (field, opening);
    }

    /// <summary>For a record after a block with invalid UTF-8: reports its first bad sequence where it is.</summary>
    private void CheckRecordUtf8(ReadOnlySpan<byte> block, int recordStart, int recordEnd, long blockOffset)
    {
        var record = block[recordStart..recordEnd];
        if (Utf8.IsValid(record))
            return;
        var bad = recordStart + FirstInvalidUtf8(record);
        var field = 0;
        var walker = new QuoteWalker(_delimiter, _quote);
        foreach (var b in block[recordStart..bad])
        {
            if (walker.Next(b) == QuoteWalker.Kind.Delimiter)
                field++;
        }
        Taint(field);
        _pending.Add(new PendingError(ErrorCodes.InvalidUtf8, field, blockOffset + bad,
            Math.Max(recordStart, bad - ExcerptRadius), Math.Min(recordEnd, bad + ExcerptRadius + 1)));
    }
}
