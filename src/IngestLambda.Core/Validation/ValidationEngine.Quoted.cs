using System.Diagnostics;

namespace IngestLambda.Core.Validation;

// Quoted dialects, framing: a record ends at the first line feed outside quotes, so it may hold line feeds and span
// segments. A segment is scanned in place up to its last complete record; the rest is carried with its quote state,
// and the next segment is searched for the record's end from that state (QuoteMasks.FindRecordEnd), so no byte is
// scanned more than a few times however the file is cut. A record longer than MaxLineBytes is reported and skipped
// as in the unquoted dialect, still following quotes to find its end.
internal sealed partial class ValidationEngine
{
    private byte _quote;            // the dataset's quote character; 0 when its dialect has no quoting
    private QuoteCarry _carryQuotes; // the quote state at the end of the carried bytes of the current record
    private QuoteCarry _skipQuotes;  // the quote state at the end of the skipped bytes of a too-long record
    private long _skippedLineFeeds; // line feeds inside quotes of the record being skipped: lines of the file all the same

    private bool Quoted => _quote != 0;

    /// <summary>Consumes a segment of a quoted file; returns the bytes used.</summary>
    private int FeedQuoted(ReadOnlySpan<byte> span)
    {
        if (_skipping)
            return SkipQuoted(span);
        if (_carryLength > 0)
            return ContinueQuotedRecord(span);
        ScanLines(span, isFinal: false); // complete records in place, the rest carried (ScanQuotedTail)
        return span.Length;
    }

    /// <summary>Records from <paramref name="pos"/> of a block of a quoted file (ScanLines' quoted branch).</summary>
    private void ScanQuotedTail(ReadOnlySpan<byte> block, int pos, long blockOffset, bool isFinal)
    {
        var end = ScanQuotedRecords(block, pos, blockOffset, isFinal, out var quotes);
        _bytes += end;
        if (end == block.Length)
            return;
        var tail = block[end..];
        var quotedLineFeeds = tail.Length > _options.MaxLineBytes + 1 ? QuotedLineFeeds(tail) : 0;
        Carry(tail); // a tail already too long to be a record is reported here and skipped
        if (_skipping)
            StartSkipping(quotes, quotedLineFeeds);
        else
            _carryQuotes = quotes;
    }

    /// <summary>Adds the next part of a carried record and checks the record once its end arrives. Returns the bytes used.</summary>
    private int ContinueQuotedRecord(ReadOnlySpan<byte> span)
    {
        var quotes = _carryQuotes;
        long quotedLineFeeds = 0;
        var end = QuoteMasks.FindRecordEnd(span, _delimiter, _quote, ref quotes, ref quotedLineFeeds);
        var total = _carryLength + (end < 0 ? span.Length : end + 1);
        var tooLong = end < 0 ? total > _options.MaxLineBytes + 1 : total > _options.MaxLineBytes + 2; // content, CR and LF
        if (tooLong)
            quotedLineFeeds += QuotedLineFeeds(_carry.AsSpan(0, _carryLength));
        if (end < 0)
        {
            Carry(span);
            if (_skipping)
                StartSkipping(quotes, quotedLineFeeds);
            else
                _carryQuotes = quotes;
            return span.Length;
        }
        if (tooLong)
        {
            ReportTooLongCarriedLine(span);
            _bytes += total;
            var crlf = (end > 0 ? span[end - 1] : _carry[_carryLength - 1]) == (byte)'\r';
            _carryLength = 0;
            _skippedLineFeeds = quotedLineFeeds;
            EndSkippedRecord(terminated: true, crlf);
            return end + 1;
        }
        Append(span[..(end + 1)]);
        var length = _carryLength;
        _carryLength = 0;
        var scanned = ScanQuotedRecords(_carry.AsSpan(0, length), 0, _bytes, isFinal: false, out _);
        Debug.Assert(scanned == length, "a carried record ends at its line feed");
        _bytes += length;
        return end + 1;
    }

    private void StartSkipping(QuoteCarry quotes, long quotedLineFeeds)
    {
        _skipQuotes = quotes;
        _skippedLineFeeds = quotedLineFeeds;
    }

    /// <summary>Discards the rest of a too-long record, up to its line feed outside quotes. Returns the bytes used.</summary>
    private int SkipQuoted(ReadOnlySpan<byte> span)
    {
        var end = QuoteMasks.FindRecordEnd(span, _delimiter, _quote, ref _skipQuotes, ref _skippedLineFeeds);
        if (end < 0)
        {
            _lastSkippedByte = span[^1];
            _bytes += span.Length;
            return span.Length;
        }
        var crlf = (end > 0 ? span[end - 1] : _lastSkippedByte) == (byte)'\r';
        _bytes += end + 1;
        EndSkippedRecord(terminated: true, crlf);
        return end + 1;
    }

    private void EndSkippedRecord(bool terminated, bool crlf)
    {
        _line += _skippedLineFeeds;
        _skippedLineFeeds = 0;
        _skipQuotes = QuoteCarry.RecordStart;
        EndSkippedLine(terminated, crlf);
    }

    /// <summary>The end of a quoted file: the last record, which has no line feed (an open quote there is a bad-quote).</summary>
    private void FinishQuoted()
    {
        if (_carryLength > 0)
        {
            var length = _carryLength;
            _carryLength = 0;
            ScanQuotedRecords(_carry.AsSpan(0, length), 0, _bytes, isFinal: true, out _);
            _bytes += length;
        }
        if (_skipping)
            EndSkippedRecord(terminated: false, crlf: false); // a too-long record is reported as that alone
    }

    /// <summary>Line feeds inside quotes in the start of a record (rare: only for a record too long to keep).</summary>
    private long QuotedLineFeeds(ReadOnlySpan<byte> recordStart)
    {
        var walker = new QuoteWalker(_delimiter, _quote);
        long lineFeeds = 0;
        foreach (var b in recordStart)
        {
            if (walker.Next(b) == QuoteWalker.Kind.Data && b == (byte)'\n')
                lineFeeds++;
        }
        return lineFeeds;
    }
}
