using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace IngestLambda.Core.Validation;

// Error collection: a line's errors are pending until its end, then reported in file order, up to MaxReportedErrors.
internal sealed partial class ValidationEngine
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddFieldError(string code, int fieldIndex, long blockOffset, int fieldStart, int fieldEnd) =>
        _pending.Add(new PendingError(code, fieldIndex, blockOffset + fieldStart, fieldStart, fieldEnd));

    /// <summary>A bad byte (NUL, bare CR, misplaced quote) in field <paramref name="fieldIndex"/>: reported, and the field's own rule is not judged on top of it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddLineError(ReadOnlySpan<byte> block, int lineStart, int fieldIndex, int p, long blockOffset, string code, string? message = null)
    {
        Taint(fieldIndex);
        // The first NUL, bare CR and misplaced quote of a line are reported; more of the same add nothing a person
        // needs and would let one hostile line grow the pending list without bound.
        var kind = code switch { ErrorCodes.NulByte => 1, ErrorCodes.BareCr => 2, _ => 4 };
        if ((_lineErrorKinds & kind) != 0)
            return;
        _lineErrorKinds |= kind;
        var excerptEnd = ListFull ? p : Math.Min(LineEnd(block, p), p + ExcerptRadius + 1); // counted only: no excerpt; a quoted record may hold line feeds before p
        _pending.Add(new PendingError(code, fieldIndex, blockOffset + p, Math.Max(lineStart, p - ExcerptRadius), excerptEnd, Message: message));
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
        var fieldIndex = block[lineStart..bad].Count(_delimiter);
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

    /// <summary>
    /// The listed errors are all there: from now on errors are only counted, on paths that skip what only a listed
    /// error needs (sorting, messages, excerpts), so a file of errors costs about what a file of rows does
    /// (docs/reliability.md, "Worst-case CPU per input byte").
    /// </summary>
    private bool ListFull => _errors.Count >= _options.MaxReportedErrors;

    private void FlushPending(ReadOnlySpan<byte> block)
    {
        if (ListFull)
        {
            _errorCount += _pending.Count;
            _pending.Clear();
            return;
        }
        _pending.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
        foreach (var e in _pending)
        {
            _errorCount++;
            if (_errors.Count >= _options.MaxReportedErrors)
                continue;
            var column = e.FieldIndex >= 0 && _columns is { } cols && e.FieldIndex < cols.Length ? cols[e.FieldIndex] : null;
            var message = e.Message ?? e.Code switch
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

    private readonly record struct PendingError(string Code, int FieldIndex, long Offset, int ExcerptStart, int ExcerptEnd, int FieldCount = 0, string? Message = null);
}
