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
/// </summary>
internal sealed class ValidationEngine
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
            if (_skipping)
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

        if (isFinal)
        {
            if (_carryLength > 0)
            {
                ScanLines(_carry.AsSpan(0, _carryLength), isFinal: true); // the last line has no terminator
                _carryLength = 0;
            }
            if (_skipping)
                EndSkippedLine(terminated: false, crlf: false); // the file ended inside a too-long line
        }
        return buffer.Start;
    }

    /// <summary>
    /// Keeps the start of a line whose end has not arrived yet, so the caller's buffer can be released: memory is
    /// this line (at most MaxLineBytes + CRLF) whatever the read-ahead. A line that outgrows that is too long
    /// whatever follows: it is reported and the rest of it skipped.
    /// </summary>
    private void Carry(ReadOnlySpan<byte> part)
    {
        var needed = _carryLength + part.Length;
        if (needed > _options.MaxLineBytes + 1) // content above the maximum even if a CRLF comes next
        {
            ReportTooLongCarriedLine(part);
            _bytes += needed;
            _lastSkippedByte = part.IsEmpty ? _carry[_carryLength - 1] : part[^1];
            _carryLength = 0;
            _skipping = true;
            return;
        }
        Append(part);
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        var needed = _carryLength + part.Length;
        if (needed > _carry.Length)
            Array.Resize(ref _carry, Math.Min(Math.Max(needed, _carry.Length * 2), _options.MaxLineBytes + 2));
        part.CopyTo(_carry.AsSpan(_carryLength));
        _carryLength = needed;
    }

    /// <summary>Adds the next part of a carried line and scans the line once its LF arrives. Returns the bytes used.</summary>
    private int ContinueCarriedLine(ReadOnlySpan<byte> span)
    {
        var lf = span.IndexOf((byte)'\n');
        if (lf < 0)
        {
            Carry(span);
            return span.Length;
        }
        var total = _carryLength + lf + 1;
        if (total > _options.MaxLineBytes + 2) // content, CR and LF
        {
            ReportTooLongCarriedLine(span);
            _bytes += total;
            var crlf = (lf > 0 ? span[lf - 1] : _carry[_carryLength - 1]) == (byte)'\r';
            _carryLength = 0;
            EndSkippedLine(terminated: true, crlf);
            return lf + 1;
        }
        Append(span[..(lf + 1)]);
        ScanLines(_carry.AsSpan(0, _carryLength), isFinal: false);
        _carryLength = 0;
        return lf + 1;
    }

    /// <summary>Reports the carried line as too long, quoting its first bytes (from the carry, then from <paramref name="more"/>).</summary>
    private void ReportTooLongCarriedLine(ReadOnlySpan<byte> more)
    {
        var head = new byte[TooLongExcerptBytes];
        var fromCarry = Math.Min(_carryLength, head.Length);
        _carry.AsSpan(0, fromCarry).CopyTo(head);
        more[..(head.Length - fromCarry)].CopyTo(head.AsSpan(fromCarry));
        AddError(new ValidationError(_line, "", _bytes, ErrorCodes.LineTooLong, LineTooLongMessage(), Excerpt.Of(head)));
    }

    /// <summary>Ends the file: whole-file checks and the result.</summary>
    public ValidationResult Complete(string sha256)
    {
        if (_bytes == (_bom ? Utf8Bom.Length : 0))
            AddError(new ValidationError(0, "", 0, ErrorCodes.EmptyFile, "The file is empty: expected a header line and at least one data row.", ""));
        else if (_columns is not null && _rows == 0)
            AddError(new ValidationError(0, "", _bytes, ErrorCodes.NoDataRows, $"The file has a {_dataset!.Name} header but no data rows.", ""));

        return new ValidationResult
        {
            Accepted = _errorCount == 0 && _columns is not null && _rows > 0,
            Dataset = _dataset?.Name,
            Rows = _rows,
            Bytes = _bytes,
            Sha256 = sha256,
            LineEnding = (_lfLines, _crlfLines) switch
            {
                (0, 0) => "none",
                (_, 0) => "LF",
                (0, _) => "CRLF",
                _ => "mixed",
            },
            Bom = _bom,
            ErrorCount = _errorCount,
            Errors = _errors,
        };
    }

    /// <summary>How much of a too-long line is quoted: the same in every path, since at least MaxLineBytes + 1 bytes of it are seen.</summary>
    private int TooLongExcerptBytes => Math.Min(_options.MaxLineBytes, Excerpt.MaxChars);

    private string LineTooLongMessage() =>
        $"The line is longer than the maximum of {_options.MaxLineBytes} bytes (MAX_LINE_BYTES); it was skipped without being read further.";

    /// <summary>Discards the rest of a too-long line, up to and including its line feed. Returns the bytes used.</summary>
    private int Skip(ReadOnlySpan<byte> span)
    {
        var lf = span.IndexOf((byte)'\n');
        if (lf < 0)
        {
            _lastSkippedByte = span[^1];
            _bytes += span.Length;
            return span.Length;
        }
        var crlf = (lf > 0 ? span[lf - 1] : _lastSkippedByte) == (byte)'\r';
        _bytes += lf + 1;
        EndSkippedLine(terminated: true, crlf);
        return lf + 1;
    }

    private void EndSkippedLine(bool terminated, bool crlf)
    {
        _skipping = false;
        _lastSkippedByte = 0;
        if (terminated)
            CountLineEnding(crlf);
        if (_headerDone)
            _rows++;
        _headerDone = true;
        _line++;
    }

    private void CountLineEnding(bool crlf)
    {
        if (crlf)
            _crlfLines++;
        else
            _lfLines++;
    }

    /// <summary>
    /// Scans whole lines: every line of <paramref name="block"/> ends with LF, except the last when <paramref name="isFinal"/>.
    /// </summary>
    private void ScanLines(ReadOnlySpan<byte> block, bool isFinal)
    {
        var blockOffset = _bytes;
        var pos = 0;
        if (!_headerDone)
        {
            pos = ScanHeader(block, blockOffset);
            if (pos == block.Length)
            {
                _bytes += block.Length;
                return;
            }
        }

        // Valid UTF-8 is the rule: one vectorised pass over the block, and line-by-line only when it fails.
        var checkUtf8PerLine = !Utf8.IsValid(block[pos..]);
        ScanDataLines(block, pos, blockOffset, checkUtf8PerLine, isFinal);
        _bytes += block.Length;
    }

    /// <summary>
    /// The hot loop. Finds every '|', LF, CR and NUL 64 bytes at a time as a bit mask and only notes where each
    /// field ends; each line is then checked field by field in <see cref="EndLine"/>. Rare bytes (CR, NUL) and
    /// invalid UTF-8 are handled out of line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call runs long: skip the slower on-stack-replacement tier
    private void ScanDataLines(ReadOnlySpan<byte> block, int pos, long blockOffset, bool checkUtf8PerLine, bool isFinal)
    {
        Span<int> separators = stackalloc int[MaxTrackedSeparators + 1]; // positions of the '|' of the current line, then its end
        var count = 0;
        var lineStart = pos;
        _previousValidFields = 0; // positions of the previous line are relative to the previous block
        if (checkUtf8PerLine)
            CheckLineUtf8(block, lineStart, blockOffset);

        ref var start = ref MemoryMarshal.GetReference(block);
        for (var i = pos; i < block.Length; i += 64)
        {
            var mask = i <= block.Length - 64 ? SpecialBytesMask(ref Unsafe.Add(ref start, i)) : TailMask(block[i..]);
            while (mask != 0)
            {
                var p = i + BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                var b = Unsafe.Add(ref start, p);
                if (b == (byte)'|')
                {
                    if (count < MaxTrackedSeparators)
                        separators[count] = p;
                    count++;
                }
                else if (b == (byte)'\n')
                {
                    var crlf = p > lineStart && Unsafe.Add(ref start, p - 1) == (byte)'\r';
                    CountLineEnding(crlf);
                    EndLine(block, lineStart, crlf ? p - 1 : p, separators, count, blockOffset);
                    lineStart = p + 1;
                    count = 0;
                    if (checkUtf8PerLine)
                        CheckLineUtf8(block, lineStart, blockOffset);
                }
                else if (b == 0 || p + 1 >= block.Length || Unsafe.Add(ref start, p + 1) != (byte)'\n')
                {
                    // NUL, or a CR that does not end the line.
                    AddLineError(block, lineStart, count, p, blockOffset, b == 0 ? ErrorCodes.NulByte : ErrorCodes.BareCr);
                }
            }
        }

        if (isFinal && lineStart < block.Length)
            EndLine(block, lineStart, block.Length, separators, count, blockOffset); // the last line has no terminator
    }

    /// <summary>A bit per byte of the 64 at <paramref name="at"/> that is '|', LF, CR or NUL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SpecialBytesMask(ref byte at)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var v = Vector512.LoadUnsafe(ref at);
            return (Vector512.Equals(v, Vector512.Create((byte)'|'))
                    | Vector512.Equals(v, Vector512.Create((byte)'\n'))
                    | Vector512.Equals(v, Vector512.Create((byte)'\r'))
                    | Vector512.Equals(v, Vector512<byte>.Zero)).ExtractMostSignificantBits();
        }
        if (Vector256.IsHardwareAccelerated)
            return Mask256(Vector256.LoadUnsafe(ref at)) | ((ulong)Mask256(Vector256.LoadUnsafe(ref Unsafe.Add(ref at, 32))) << 32);
        ulong mask = 0;
        for (var k = 0; k < 4; k++)
            mask |= (ulong)Mask128(Vector128.LoadUnsafe(ref Unsafe.Add(ref at, 16 * k))) << (16 * k);
        return mask;
    }

    private static uint Mask256(Vector256<byte> v) =>
        (Vector256.Equals(v, Vector256.Create((byte)'|'))
         | Vector256.Equals(v, Vector256.Create((byte)'\n'))
         | Vector256.Equals(v, Vector256.Create((byte)'\r'))
         | Vector256.Equals(v, Vector256<byte>.Zero)).ExtractMostSignificantBits();

    private static uint Mask128(Vector128<byte> v) =>
        (Vector128.Equals(v, Vector128.Create((byte)'|'))
         | Vector128.Equals(v, Vector128.Create((byte)'\n'))
         | Vector128.Equals(v, Vector128.Create((byte)'\r'))
         | Vector128.Equals(v, Vector128<byte>.Zero)).ExtractMostSignificantBits();

    /// <summary>The mask for the last, shorter-than-64 bytes of a block.</summary>
    private static ulong TailMask(ReadOnlySpan<byte> tail)
    {
        ulong mask = 0;
        for (var k = 0; k < tail.Length; k++)
        {
            if (tail[k] is (byte)'|' or (byte)'\n' or (byte)'\r' or 0)
                mask |= 1UL << k;
        }
        return mask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddFieldError(string code, int fieldIndex, long blockOffset, int fieldStart, int fieldEnd) =>
        _pending.Add(new PendingError(code, fieldIndex, blockOffset + fieldStart, fieldStart, fieldEnd));

    /// <summary>A bad byte (NUL, bare CR) in field <paramref name="fieldIndex"/>: reported, and the field's own rule is not judged on top of it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddLineError(ReadOnlySpan<byte> block, int lineStart, int fieldIndex, int p, long blockOffset, string code)
    {
        Taint(fieldIndex);
        // The first NUL and the first bare CR of a line are reported; more of the same add nothing a person needs
        // and would let one hostile line grow the pending list without bound.
        var kind = code == ErrorCodes.NulByte ? 1 : 2;
        if ((_lineErrorKinds & kind) != 0)
            return;
        _lineErrorKinds |= kind;
        _pending.Add(new PendingError(code, fieldIndex, blockOffset + p,
            Math.Max(lineStart, p - ExcerptRadius), Math.Min(LineEnd(block, lineStart), p + ExcerptRadius + 1)));
    }

    private void Taint(int fieldIndex)
    {
        if (fieldIndex < 64)
            _taintedFields |= 1UL << fieldIndex;
    }

    private static int LineEnd(ReadOnlySpan<byte> block, int lineStart)
    {
        var lf = block[lineStart..].IndexOf((byte)'\n');
        return lf < 0 ? block.Length : lineStart + lf;
    }

    /// <summary>Slow path, only for blocks that hold invalid UTF-8: reports the first bad sequence of the line starting at <paramref name="lineStart"/>.</summary>
    private void CheckLineUtf8(ReadOnlySpan<byte> block, int lineStart, long blockOffset)
    {
        if (lineStart >= block.Length)
            return;
        var lineEnd = LineEnd(block, lineStart);
        var line = block[lineStart..lineEnd];
        if (Utf8.IsValid(line))
            return;
        var bad = lineStart + FirstInvalidUtf8(line);
        var fieldIndex = block[lineStart..bad].Count((byte)'|');
        Taint(fieldIndex);
        _pending.Add(new PendingError(ErrorCodes.InvalidUtf8, fieldIndex, blockOffset + bad,
            Math.Max(lineStart, bad - ExcerptRadius), Math.Min(lineEnd, bad + ExcerptRadius + 1)));
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> line)
    {
        var offset = 0;
        while (offset < line.Length)
        {
            if (Rune.DecodeFromUtf8(line[offset..], out _, out var consumed) != OperationStatus.Done)
                return offset;
            offset += consumed;
        }
        return -1;
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
                var fieldStart = first == 0 ? lineStart : separators[first - 1] + 1;
                for (var f = first; f < columns.Length; f++)
                {
                    var fieldEnd = separators[f];
                    if ((_taintedFields & (1UL << f)) == 0) // a field with a reported bad byte is not judged again
                    {
                        var code = columns[f].Check(block[fieldStart..fieldEnd]);
                        if (code is not null)
                            AddFieldError(code, f, blockOffset, fieldStart, fieldEnd);
                    }
                    fieldStart = fieldEnd + 1;
                }
                validPrefixFields = _pending.Count == 0 ? columns.Length : FirstErrorField();
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
    /// One row per credited person repeats the title's columns byte for byte from the row before. A field whose bytes,
    /// column and neighbours equal a field the previous line had valid is valid too, so the leading fields the two lines
    /// share (up to and including their separator) and the previous line had valid are not checked again.
    /// </summary>
    private int SkippableLeadingFields(ReadOnlySpan<byte> block, int lineStart, int contentEnd, ReadOnlySpan<int> separators)
    {
        if (_previousValidFields == 0 || _previousLineEnd > lineStart || _previousLineStart >= lineStart)
            return 0; // no previous line in this block, or it had an error in its first field
        var common = block[_previousLineStart.._previousLineEnd].CommonPrefixLength(block[lineStart..contentEnd]);
        var skippable = 0;
        var limit = Math.Min(_previousValidFields, separators.Length);
        while (skippable < limit && separators[skippable] - lineStart < common)
            skippable++; // field `skippable` and its '|' are inside the shared prefix
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

    private void FlushPending(ReadOnlySpan<byte> block)
    {
        _pending.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
        foreach (var e in _pending)
        {
            _errorCount++;
            if (_errors.Count >= _options.MaxReportedErrors)
                continue;
            var column = e.FieldIndex >= 0 && _columns is { } cols && e.FieldIndex < cols.Length ? cols[e.FieldIndex] : null;
            var message = e.Code switch
            {
                ErrorCodes.NulByte => "NUL byte (0x00) in the line.",
                ErrorCodes.BareCr => "Carriage return (CR) that is not part of a CRLF line ending.",
                ErrorCodes.InvalidUtf8 => "Invalid UTF-8 byte sequence.",
                ErrorCodes.FieldCount => $"Expected {_columns!.Length} fields ({_dataset!.Name}), found {e.FieldCount}.",
                _ => column!.Describe(e.Code),
            };
            _errors.Add(new ValidationError(_line, column?.Name ?? "", e.Offset, e.Code, message,
                Excerpt.Of(block[e.ExcerptStart..e.ExcerptEnd])));
        }
        _pending.Clear();
    }

    private void AddError(ValidationError error)
    {
        _errorCount++;
        if (_errors.Count < _options.MaxReportedErrors)
            _errors.Add(error);
    }

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

    private readonly record struct PendingError(string Code, int FieldIndex, long Offset, int ExcerptStart, int ExcerptEnd, int FieldCount = 0);
}
