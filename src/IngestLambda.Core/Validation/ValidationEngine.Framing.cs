namespace IngestLambda.Core.Validation;

// Framing and carry: lines that span segments, too-long lines that are skipped, line endings.
internal sealed partial class ValidationEngine
{
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
}
