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

        if (Quoted)
        {
            ScanQuotedTail(block, pos, blockOffset, isFinal); // records may hold line feeds: framed by quotes (ValidationEngine.Quoted.cs)
            return;
        }
        ScanDataLines(block, pos, blockOffset, isFinal);
        _bytes += block.Length;
    }

    /// <summary>
    /// The hot loop. Classifies 64 bytes at a time into bit masks (<see cref="ByteMasks"/>) and only notes where each
    /// field ends; each line is then checked field by field in <see cref="EndLine"/>. UTF-8 is checked on the same
    /// masks (<see cref="Utf8Blocks"/>). Per block, the delimiters before each LF go to the line's separators and the LF ends
    /// the line: a loop per line, not per byte. Blocks with a NUL or a CR that is not right before an LF in the same
    /// block are rare and go byte class by byte class (<see cref="ScanRareBlock"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call runs long: skip the slower on-stack-replacement tier
    private void ScanDataLines(ReadOnlySpan<byte> block, int pos, long blockOffset, bool isFinal)
    {
        var utf8 = new Utf8Blocks();
        // Valid UTF-8 is the rule. Once a block breaks it, each line from the current one on is checked alone, to
        // report its first bad sequence where it is.
        var checkUtf8PerLine = false;
        Span<byte> tail = stackalloc byte[ByteMasks.BlockBytes]; // the last, short block, padded with spaces (no class)
        // Positions of the delimiters of the current line, then its end; the slots past MaxTrackedSeparators + 1 are scratch
        // for AddSeparators' whole-block writes.
        Span<int> scratch = stackalloc int[MaxTrackedSeparators + 1 + ByteMasks.BlockBytes];
        var separators = scratch[..(MaxTrackedSeparators + 1)];
        ref var separator0 = ref MemoryMarshal.GetReference(scratch);
        var count = 0;
        var lineStart = pos;
        _previousValidFields = 0; // positions of the previous line are relative to the previous block
        // Once the listed errors are full, empty lines are counted 64 bytes at a time (see CountEmptyLines).
        var countEmptyLines = _emptyLineIsFieldCountError && ListFull;

        ref var start = ref MemoryMarshal.GetReference(block);
        var delimiter = _delimiter;
        var errorCountCap = ErrorCountCap;
        for (var i = pos; i < block.Length; i += ByteMasks.BlockBytes)
        {
            scoped ref var at = ref Unsafe.Add(ref start, i);
            if (i > block.Length - ByteMasks.BlockBytes)
            {
                tail.Fill((byte)' ');
                block[i..].CopyTo(tail);
                at = ref MemoryMarshal.GetReference(tail);
            }
            if (_errorCount >= errorCountCap && CapReached)
            {
                CountRestOfBlock(block, i, lineStart);
                return;
            }
            var classes = ByteMasks.Classify(ref at, delimiter);
            if (!checkUtf8PerLine && !utf8.Accept(ref at, classes.HighBits))
            {
                checkUtf8PerLine = true;
                CheckLineUtf8(block, lineStart, blockOffset);
            }
            if ((classes.Nuls | (classes.CarriageReturns & ~(classes.LineFeeds >> 1))) != 0)
            {
                (count, lineStart) = ScanRareBlock(block, i, ref at, separators, count, lineStart, checkUtf8PerLine, blockOffset);
                continue;
            }
            var delimiters = classes.Delimiters;
            var allLineFeeds = classes.LineFeeds;
            var lineFeeds = allLineFeeds;
            var counted = countEmptyLines && !checkUtf8PerLine && lineFeeds != 0;
            if (counted)
                lineFeeds = CountEmptyLines(allLineFeeds, classes.CarriageReturns, startsLine: lineStart == i && _pending.Count == 0);
            for (; lineFeeds != 0; lineFeeds &= lineFeeds - 1)
            {
                var bit = BitOperations.TrailingZeroCount(lineFeeds);
                if (counted && (allLineFeeds & ((1UL << bit) - 1)) is var prior and not 0)
                    lineStart = i + 64 - BitOperations.LeadingZeroCount(prior); // after the LF before, perhaps an empty line counted
                var before = delimiters & ((1UL << bit) - 1);
                count = AddSeparators(ref separator0, count, i, before);
                delimiters ^= before;
                lineStart = EndLineAt(block, i + bit, lineStart, separators, count, blockOffset, checkUtf8PerLine);
                count = 0;
            }
            if (counted)
                lineStart = Math.Max(lineStart, i + 64 - BitOperations.LeadingZeroCount(allLineFeeds));
            count = AddSeparators(ref separator0, count, i, delimiters);
        }

        if (utf8.InsideSequence && !checkUtf8PerLine)
            CheckLineUtf8(block, lineStart, blockOffset); // the file ends inside a sequence
        if (isFinal && lineStart < block.Length)
            EndLine(block, lineStart, block.Length, separators, count, blockOffset); // the last line has no terminator
    }

    /// <summary>Ends the line whose LF is at <paramref name="lineFeed"/> (after a CR, a CRLF); returns where the next line starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int EndLineAt(ReadOnlySpan<byte> block, int lineFeed, int lineStart, Span<int> separators, int count, long blockOffset, bool checkUtf8PerLine)
    {
        var crlf = lineFeed > lineStart && block[lineFeed - 1] == (byte)'\r';
        CountLineEnding(crlf);
        EndLine(block, lineStart, crlf ? lineFeed - 1 : lineFeed, separators, count, blockOffset);
        if (checkUtf8PerLine)
            CheckLineUtf8(block, lineFeed + 1, blockOffset);
        return lineFeed + 1;
    }

    /// <summary>
    /// Counts the empty lines (LF or CRLF) of a 64-byte block at once, without visiting them, and returns the line
    /// feeds left to visit. Only once the listed errors are full, for a dataset of two or more columns: then an empty
    /// line is exactly one field-count error and a row, and a file of them costs no more per byte than valid rows do
    /// (docs/reliability.md, "Worst-case CPU per input byte"). An LF is an empty line's end when the byte before it is
    /// an LF (or the block starts a line: <paramref name="startsLine"/>); a CRLF when the two bytes before are LF, CR.
    /// </summary>
    private ulong CountEmptyLines(ulong lineFeeds, ulong carriageReturns, bool startsLine)
    {
        var start = startsLine ? 1UL : 0;
        var emptyLf = lineFeeds & ((lineFeeds << 1) | start);
        var emptyCrlf = lineFeeds & (carriageReturns << 1) & ((lineFeeds << 2) | (start << 1));
        var lf = BitOperations.PopCount(emptyLf);
        var crlf = BitOperations.PopCount(emptyCrlf);
        _lfLines += lf;
        _crlfLines += crlf;
        _errorCount += lf + crlf;
        _rows += lf + crlf;
        _line += lf + crlf;
        return lineFeeds & ~(emptyLf | emptyCrlf);
    }

    /// <summary>
    /// Notes the delimiters in <paramref name="delimiters"/> (bits of the block at <paramref name="blockStart"/>) after the
    /// <paramref name="count"/> already noted, eight at a time without a branch per delimiter (the slots written past the
    /// last one are scratch). Beyond MaxTrackedSeparators they are only counted: the slot there is overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AddSeparators(ref int separator0, int count, int blockStart, ulong delimiters)
    {
        var total = count + BitOperations.PopCount(delimiters);
        ref var slot = ref Unsafe.Add(ref separator0, Math.Min(count, MaxTrackedSeparators));
        while (delimiters != 0) // unrolled by hand: neither compiler unrolls it
        {
            Unsafe.Add(ref slot, 0) = blockStart + BitOperations.TrailingZeroCount(delimiters);
            delimiters &= delimiters - 1;
            Unsafe.Add(ref slot, 1) = blockStart + BitOperations.TrailingZeroCount(delimiters);
            delimiters &= delimiters - 1;
            Unsafe.Add(ref slot, 2) = blockStart + BitOperations.TrailingZeroCount(delimiters);
            delimiters &= delimiters - 1;
            Unsafe.Add(ref slot, 3) = blockStart + BitOperations.TrailingZeroCount(delimiters);
            delimiters &= delimiters - 1;
            Unsafe.Add(ref slot, 4) = blockStart + BitOperations.TrailingZeroCount(delimiters);
            delimiters &= delimiters - 1;
            Unsafe.Add(ref slot, 5) = blockStart + BitOperations.TrailingZeroCount(delimiters);
            delimiters &= delimiters - 1;
            Unsafe.Add(ref slot, 6) = blockStart + BitOperations.TrailingZeroCount(delimiters);
            delimiters &= delimiters - 1;
            Unsafe.Add(ref slot, 7) = blockStart + BitOperations.TrailingZeroCount(delimiters);
            delimiters &= delimiters - 1;
            slot = ref Unsafe.Add(ref slot, 8);
        }
        return total;
    }

    /// <summary>
    /// A block holding a NUL or a CR that does not directly precede an LF in it: each delimiter, LF, CR and NUL in order.
    /// Returns the separator count and line start after it. It classifies the block again rather than take the
    /// masks: a struct passed along would be kept in memory throughout the hot loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private (int Count, int LineStart) ScanRareBlock(ReadOnlySpan<byte> block, int i, ref byte at, Span<int> separators,
        int count, int lineStart, bool checkUtf8PerLine, long blockOffset)
    {
        var classes = ByteMasks.Classify(ref at, _delimiter);
        ref var start = ref MemoryMarshal.GetReference(block);
        for (var mask = classes.Any; mask != 0; mask &= mask - 1)
        {
            var bit = mask & (0 - mask);
            var p = i + BitOperations.TrailingZeroCount(mask);
            if ((classes.Delimiters & bit) != 0)
            {
                separators[Math.Min(count, MaxTrackedSeparators)] = p;
                count++;
            }
            else if ((classes.LineFeeds & bit) != 0)
            {
                lineStart = EndLineAt(block, p, lineStart, separators, count, blockOffset, checkUtf8PerLine);
                count = 0;
            }
            else if ((classes.Nuls & bit) != 0 || p + 1 >= block.Length || Unsafe.Add(ref start, p + 1) != (byte)'\n')
            {
                // NUL, or a CR that does not end the line.
                AddLineError(block, lineStart, count, p, blockOffset, (classes.Nuls & bit) != 0 ? ErrorCodes.NulByte : ErrorCodes.BareCr);
            }
        }
        return (count, lineStart);
    }
}
