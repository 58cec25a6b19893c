using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

/// <summary>
/// The push-based validation state machine. Feed it the bytes of a file in order, in any segmentation; it consumes
/// everything it is given, scanning whole lines in place and keeping only the start of a line that goes on in the
/// next segment (at most MaxLineBytes + CRLF). A longer line is reported and skipped without being buffered. The
/// result is the same for the same bytes however they are segmented.
/// One type in partial files by concern: this file (state, feeding, the result), Framing (carried and too-long
/// lines), Scan (the hot loop over <see cref="ByteMasks"/>), Capped (only lines counted past the error-count cap), Fields (per-line field checks), Errors (collecting and
/// reporting), Header (recognising the dataset); for quoted dialects, Quoted (records framed by quotes across segments)
/// and QuotedScan (the hot loop with quote masks).
/// </summary>
internal sealed partial class ValidationEngine
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];
    private const int ExcerptRadius = 24;

    /// <summary>Separators noted per line; a line with more has the wrong field count anyway (schemas have at most 64 columns).</summary>
    private const int MaxTrackedSeparators = 64;

    private readonly ValidationOptions _options;
    private readonly List<ValidationError> _errors = [];
    private readonly List<PendingError> _pending = []; // errors of the line being scanned, flushed at its end
    private long _errorCount;

    private DatasetSchema? _dataset;
    private CompiledColumn[]? _columns; // null while the header is unknown
    private bool _bomChecked;
    private bool _bom;
    private bool _headerDone;
    private long _bytes;     // bytes consumed so far: the file offset of the next byte
    private long _line = 1;  // number of the line being scanned; the header is line 1
    private long _rows;
    private long _lfLines;
    private long _crlfLines;
    private bool _skipping;  // inside a too-long line, discarding up to its line feed
    private byte _lastSkippedByte;
    private byte[] _carry = new byte[4096]; // the start of a line that goes on in a later segment
    private int _carryLength;
    private ulong _taintedFields; // bit f: field f of the current line holds a bad byte already reported
    private int _lineErrorKinds;  // 1: a NUL, 2: a bare CR already reported on the current line
    // The previous line of the current block: where it lies, and how many of its leading fields were valid.
    private int _previousLineStart;
    private int _previousLineEnd = -1;
    private int _previousValidFields;

    public ValidationEngine(ValidationOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLineBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxReportedErrors, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ErrorCountCap, 1, nameof(options));
        _options = options;
    }

    /// <summary>
    /// Consumes <paramref name="buffer"/> (all of it, except at the very start while fewer bytes than a BOM have
    /// arrived) and returns how far it got; <paramref name="isFinal"/> ends the last line.
    /// </summary>
    public SequencePosition Feed(ReadOnlySequence<byte> buffer, bool isFinal)
    {
        if (!_bomChecked)
        {
            if (buffer.Length < Utf8Bom.Length && !isFinal)
                return buffer.Start;
            _bomChecked = true;
            Span<byte> head = stackalloc byte[Utf8Bom.Length];
            if (buffer.Length >= head.Length)
            {
                buffer.Slice(0, head.Length).CopyTo(head);
                if (head.SequenceEqual(Utf8Bom))
                {
                    _bom = true;
                    _bytes = head.Length;
                    buffer = buffer.Slice(head.Length);
                }
            }
        }

        while (!buffer.IsEmpty)
        {
            var span = buffer.FirstSpan;
            int used;
            if (Quoted)
            {
                used = FeedQuoted(span);
            }
            else if (_capped || CapReached)
            {
                if (!_capped)
                    StartCountingBetweenSegments();
                CountLines(span);
                _bytes += span.Length;
                used = span.Length;
            }
            else if (_skipping)
            {
                used = Skip(span);
            }
            else if (_carryLength > 0)
            {
                used = ContinueCarriedLine(span);
            }
            else if (span.LastIndexOf((byte)'\n') is var lastLf and >= 0)
            {
                // The common case: whole lines inside one segment, scanned in place.
                ScanLines(span[..(lastLf + 1)], isFinal: false);
                used = lastLf + 1;
            }
            else
            {
                Carry(span); // a line that goes on in the next segment
                used = span.Length;
            }
            buffer = buffer.Slice(used);
        }

        if (isFinal && Quoted)
        {
            FinishQuoted();
        }
        else if (isFinal)
        {
            if (_carryLength > 0)
            {
                ScanLines(_carry.AsSpan(0, _carryLength), isFinal: true); // the last line has no terminator
                _carryLength = 0;
            }
            if (_skipping)
                EndSkippedLine(terminated: false, crlf: false); // the file ended inside a too-long line
            if (_capped)
                EndCounting();
        }
        return buffer.Start;
    }

    /// <summary>Ends the file: whole-file checks and the result, without the digests (<see cref="StoredDigests"/> adds them).</summary>
    public ValidationResult Complete()
    {
        if (_bytes == (_bom ? Utf8Bom.Length : 0))
            AddError(new ValidationError(0, "", 0, ErrorCodes.EmptyFile, "The file is empty: expected a header line and at least one data row.", ""));
        else if (_columns is not null && _rows == 0)
            AddError(new ValidationError(0, "", _bytes, ErrorCodes.NoDataRows, $"The file has a {_dataset!.Name} header but no data rows.", ""));

        var accepted = _errorCount == 0 && _columns is not null && _rows > 0;
        return new ValidationResult
        {
            Accepted = accepted,
            Profile = accepted ? _profiler?.Result() : null,
            Dataset = _dataset?.Name,
            Rows = _rows,
            Bytes = _bytes,
            LineEnding = (_lfLines, _crlfLines) switch
            {
                (0, 0) => "none",
                (_, 0) => "LF",
                (0, _) => "CRLF",
                _ => "mixed",
            },
            Bom = _bom,
            ErrorCount = Capped ? ErrorCountCap : _errorCount,
            ErrorCountCapped = Capped,
            Errors = _errors,
        };
    }
}
