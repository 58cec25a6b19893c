using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IngestLambda.Core.Validation;

// Past the error-count cap: the rest of an unquoted file only has its lines counted, so a file of errors costs no more
// per byte than valid rows (docs/reliability.md, "Worst-case CPU per input byte").
internal sealed partial class ValidationEngine
{
    private bool _capped;          // counting lines only, from here to the end
    private bool _cappedLineOpen;  // bytes after the last counted LF: a line whose end has not come yet
    private byte _cappedLastByte = (byte)'\n'; // the last byte counted, for a CRLF split between segments

    /// <summary>Errors are counted up to here; never below the listed errors, so every listed error is also counted.</summary>
    private long ErrorCountCap => Math.Max(_options.ErrorCountCap, _options.MaxReportedErrors);

    /// <summary>
    /// Whether counting stops: the cap is reached (so the listed errors are complete) in a recognised unquoted file.
    /// A quoted file is judged to its end: its records may hold line feeds, so lines are not records there.
    /// </summary>
    private bool CapReached => _errorCount >= ErrorCountCap && ListFull && _columns is not null && !Quoted;

    /// <summary>Whether the result reports the cap: the same for the same bytes however they are segmented.</summary>
    private bool Capped => _capped || (_errorCount >= ErrorCountCap && _columns is not null && !Quoted);

    /// <summary>
    /// Switches to counting in the middle of a scanned block, at the 64-byte block <paramref name="from"/>: the line
    /// that started at <paramref name="lineStart"/> is still open unless it started right there. Counts the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CountRestOfBlock(ReadOnlySpan<byte> block, int from, int lineStart)
    {
        StartCounting(open: lineStart < from, lastByte: from > 0 ? block[from - 1] : (byte)'\n');
        CountLines(block[from..]);
    }

    /// <summary>
    /// Switches to counting between segments. A line carried from earlier segments, or a too-long one being skipped,
    /// ends at the next LF, which counts it; its bytes not counted yet are counted now.
    /// </summary>
    private void StartCountingBetweenSegments()
    {
        if (_carryLength > 0)
        {
            StartCounting(open: true, lastByte: _carry[_carryLength - 1]);
            _bytes += _carryLength;
            _carryLength = 0;
        }
        else if (_skipping)
        {
            StartCounting(open: true, lastByte: _lastSkippedByte);
            _skipping = false;
        }
        else
        {
            StartCounting(open: false, lastByte: (byte)'\n');
        }
    }

    private void StartCounting(bool open, byte lastByte)
    {
        _capped = true;
        _cappedLineOpen = open;
        _cappedLastByte = lastByte;
        _pending.Clear(); // errors of the open line: past the cap they are not counted
    }

    /// <summary>Counts the rows and line endings of <paramref name="bytes"/>, 64 bytes at a time from the scan's masks.</summary>
    private void CountLines(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            return;
        Span<byte> tail = stackalloc byte[ByteMasks.BlockBytes];
        ref var start = ref MemoryMarshal.GetReference(bytes);
        var carriageReturnBefore = _cappedLastByte == (byte)'\r' ? 1UL : 0;
        long lineFeeds = 0, crlf = 0;
        for (var i = 0; i < bytes.Length; i += ByteMasks.BlockBytes)
        {
            scoped ref var at = ref Unsafe.Add(ref start, i);
            if (i > bytes.Length - ByteMasks.BlockBytes)
            {
                tail.Fill((byte)' ');
                bytes[i..].CopyTo(tail);
                at = ref MemoryMarshal.GetReference(tail);
            }
            var classes = ByteMasks.Classify(ref at, _delimiter);
            lineFeeds += BitOperations.PopCount(classes.LineFeeds);
            crlf += BitOperations.PopCount(classes.LineFeeds & ((classes.CarriageReturns << 1) | carriageReturnBefore));
            carriageReturnBefore = classes.CarriageReturns >> 63;
        }
        _crlfLines += crlf;
        _lfLines += lineFeeds - crlf;
        _rows += lineFeeds;
        _line += lineFeeds;
        _cappedLineOpen = bytes[^1] != (byte)'\n';
        _cappedLastByte = bytes[^1];
    }

    /// <summary>The file ends: a last line without a line feed is a row, as in the scan.</summary>
    private void EndCounting()
    {
        if (!_cappedLineOpen)
            return;
        _rows++;
        _line++;
        _cappedLineOpen = false;
    }
}
