using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IngestLambda.Core.Validation;

// The scan: whole lines of a block, 64 bytes at a time.
internal sealed partial class ValidationEngine
{
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

        ScanDataLines(block, pos, blockOffset, isFinal);
        _bytes += block.Length;
    }

    /// <summary>
    /// The hot loop. Classifies 64 bytes at a time into bit masks (<see cref="ByteMasks"/>) and only notes where each
    /// field ends; each line is then checked field by field in <see cref="EndLine"/>. UTF-8 is checked on the same
    /// masks (<see cref="Utf8Blocks"/>). A block without LF, CR or NUL (most of them: a row spans about three) just
    /// records its '|' positions; rare bytes (CR, NUL) and invalid UTF-8 are handled out of line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call runs long: skip the slower on-stack-replacement tier
    private void ScanDataLines(ReadOnlySpan<byte> block, int pos, long blockOffset, bool isFinal)
    {
        var utf8 = new Utf8Blocks();
        // Valid UTF-8 is the rule. Once a block breaks it, each line from the current one on is checked alone, to
        // report its first bad sequence where it is.
        var checkUtf8PerLine = false;
        Span<byte> tail = stackalloc byte[ByteMasks.BlockBytes]; // the last, short block, padded with spaces (no class)
        Span<int> separators = stackalloc int[MaxTrackedSeparators + 1]; // positions of the '|' of the current line, then its end
        ref var separator0 = ref MemoryMarshal.GetReference(separators);
        var count = 0;
        var lineStart = pos;
        _previousValidFields = 0; // positions of the previous line are relative to the previous block

        ref var start = ref MemoryMarshal.GetReference(block);
        for (var i = pos; i < block.Length; i += ByteMasks.BlockBytes)
        {
            scoped ref var at = ref Unsafe.Add(ref start, i);
            if (i > block.Length - ByteMasks.BlockBytes)
            {
                tail.Fill((byte)' ');
                block[i..].CopyTo(tail);
                at = ref MemoryMarshal.GetReference(tail);
            }
            var classes = ByteMasks.Classify(ref at);
            if (!checkUtf8PerLine && !utf8.Accept(ref at, classes.HighBits))
            {
                checkUtf8PerLine = true;
                CheckLineUtf8(block, lineStart, blockOffset);
            }
            if ((classes.LineFeeds | classes.Rare) == 0)
            {
                // Inside a line: note its separators (beyond MaxTrackedSeparators only counted; the slot is overwritten).
                for (var pipes = classes.Pipes; pipes != 0; pipes &= pipes - 1)
                {
                    Unsafe.Add(ref separator0, Math.Min(count, MaxTrackedSeparators)) = i + BitOperations.TrailingZeroCount(pipes);
                    count++;
                }
                continue;
            }
            for (var mask = classes.Any; mask != 0; mask &= mask - 1)
            {
                var bit = mask & (0 - mask);
                var p = i + BitOperations.TrailingZeroCount(mask);
                if ((classes.Pipes & bit) != 0)
                {
                    Unsafe.Add(ref separator0, Math.Min(count, MaxTrackedSeparators)) = p;
                    count++;
                }
                else if ((classes.LineFeeds & bit) != 0)
                {
                    var crlf = p > lineStart && Unsafe.Add(ref start, p - 1) == (byte)'\r';
                    CountLineEnding(crlf);
                    EndLine(block, lineStart, crlf ? p - 1 : p, separators, count, blockOffset);
                    lineStart = p + 1;
                    count = 0;
                    if (checkUtf8PerLine)
                        CheckLineUtf8(block, lineStart, blockOffset);
                }
                else if (Unsafe.Add(ref start, p) is var b && (b == 0 || p + 1 >= block.Length || Unsafe.Add(ref start, p + 1) != (byte)'\n'))
                {
                    // NUL, or a CR that does not end the line.
                    AddLineError(block, lineStart, count, p, blockOffset, b == 0 ? ErrorCodes.NulByte : ErrorCodes.BareCr);
                }
            }
        }

        if (utf8.InsideSequence && !checkUtf8PerLine)
            CheckLineUtf8(block, lineStart, blockOffset); // the file ends inside a sequence
        if (isFinal && lineStart < block.Length)
            EndLine(block, lineStart, block.Length, separators, count, blockOffset); // the last line has no terminator
    }
}
