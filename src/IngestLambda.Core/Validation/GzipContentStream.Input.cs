namespace IngestLambda.Core.Validation;

// The compressed input: one buffer window over the object, read forward by the header parser, the inflater and the trailer check.
internal sealed partial class GzipContentStream
{
    private long Offset(int index) => _dropped + index;

    private async ValueTask<int> ReadByteAsync(CancellationToken cancellationToken)
    {
        if (_pos == _end && !await FillAsync(keepFrom: _pos, cancellationToken).ConfigureAwait(false))
            return -1;
        if (_inHeader)
            _headerCrc.Append(_in.AsSpan(_pos, 1));
        return _in[_pos++];
    }

    private async ValueTask<bool> SkipAsync(int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            if (await ReadByteAsync(cancellationToken).ConfigureAwait(false) < 0)
                return false;
        }
        return true;
    }

    private async ValueTask<bool> SkipPastZeroAsync(CancellationToken cancellationToken)
    {
        int b;
        while ((b = await ReadByteAsync(cancellationToken).ConfigureAwait(false)) > 0)
        {
        }
        return b == 0;
    }

    /// <summary>Reads more compressed bytes, first dropping those before <paramref name="keepFrom"/>; false at the end of the object.</summary>
    private async ValueTask<bool> FillAsync(int keepFrom, CancellationToken cancellationToken)
    {
        if (_eof)
            return false;
        if (keepFrom > 0)
        {
            _in.AsSpan(keepFrom, _end - keepFrom).CopyTo(_in);
            _dropped += keepFrom;
            _pos -= keepFrom;
            _end -= keepFrom;
            _handStart = Math.Max(0, _handStart - keepFrom);
        }
        if (_end == _in.Length)
            throw new InvalidOperationException("The gzip input buffer is full; this is a bug in GzipContentStream.");
        var read = await compressed.ReadAsync(_in.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
            return false;
        }
        _end += read;
        return true;
    }

    /// <summary>What the inflater reads: the member's body, in chunks whose start is remembered for the trailer search.</summary>
    private sealed class InflaterInput(GzipContentStream owner) : ForwardReadStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            // The inflater asks again only once it used everything handed before, so the body cannot end in an older chunk.
            if (owner._pos == owner._end && !await owner.FillAsync(keepFrom: owner._pos, cancellationToken).ConfigureAwait(false))
                return 0;
            var count = Math.Min(Math.Min(buffer.Length, owner._end - owner._pos), HandBytes);
            owner._in.AsSpan(owner._pos, count).CopyTo(buffer.Span);
            owner._handStart = owner._pos;
            owner._pos += count;
            return count;
        }
    }

    /// <summary>Hands its bytes one per read, so what an inflater read is exactly what it used.</summary>
    private sealed class OneByteAtATime(ReadOnlyMemory<byte> bytes) : ForwardReadStream
    {
        public int Used { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty || Used == bytes.Length)
                return 0;
            buffer[0] = bytes.Span[Used++];
            return 1;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _member?.Dispose();
        base.Dispose(disposing);
    }
}
