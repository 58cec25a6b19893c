namespace IngestLambda.Lake.Trusted;

/// <summary>
/// The write-only stream the Parquet writer writes into: it holds the bytes not yet uploaded and counts every byte
/// ever written as its position (the offsets the footer records). <see cref="TrustedWriter"/> takes whole parts out of it
/// after each row group, so it holds about one encoded row group plus less than a part.
/// </summary>
internal sealed class PartBuffer : Stream
{
    private byte[] _buffer = new byte[1024 * 1024];
    private int _held;
    private long _uploaded;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _uploaded + _held;
    public override long Position { get => Length; set => throw new NotSupportedException(); }

    /// <summary>Bytes written and not yet taken.</summary>
    public int Held => _held;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_buffer.Length - _held < buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _held + buffer.Length));
        buffer.CopyTo(_buffer.AsSpan(_held));
        _held += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>The first <paramref name="count"/> held bytes, copied out and dropped from the buffer.</summary>
    public byte[] Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _held);
        var part = _buffer.AsSpan(0, count).ToArray();
        _buffer.AsSpan(count, _held - count).CopyTo(_buffer);
        _held -= count;
        _uploaded += count;
        return part;
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
