namespace IngestLambda.Lake.Trusted;

/// <summary>
/// The write-only stream the Parquet writer writes into: it holds at most one part, uploads it the moment it fills (the
/// library writes asynchronously, page by page) and counts every byte ever written as its position (the offsets the footer
/// records). So the Parquet bytes cost one part of memory, however big the file (docs/contracts.md "Trusted zone").
/// </summary>
internal sealed class PartBuffer(int partBytes, Func<ArraySegment<byte>, CancellationToken, Task> uploadPart) : Stream
{
    private byte[] _buffer = new byte[Math.Min(partBytes, 64 * 1024)];
    private int _held;
    private long _uploaded;

    /// <summary>The token the part uploads started from <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/> obey:
    /// the library passes none down, so the writer sets the run's before each call into it.</summary>
    public CancellationToken Cancellation { get; set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _uploaded + _held;
    public override long Position { get => Length; set => throw new NotSupportedException(); }

    /// <summary>Bytes written and not yet uploaded (less than a part).</summary>
    public ArraySegment<byte> Held => new(_buffer, 0, _held);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var room = partBytes - _held;
            var taken = Math.Min(room, buffer.Length);
            Append(buffer.Span[..taken]);
            buffer = buffer[taken..];
            if (_held == partBytes)
            {
                // Awaited before the buffer is reused: the upload reads it.
                var token = cancellationToken.CanBeCanceled ? cancellationToken : Cancellation;
                await uploadPart(new ArraySegment<byte>(_buffer, 0, _held), token).ConfigureAwait(false);
                _uploaded += _held;
                _held = 0;
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Parquet.Net 6.1 writes pages, headers and the footer asynchronously; a synchronous write could not upload a full part.
    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The trusted part buffer takes asynchronous writes only.");

    private void Append(ReadOnlySpan<byte> bytes)
    {
        // Grows by doubling up to one part: a small file never holds a whole part's buffer.
        if (_buffer.Length - _held < bytes.Length)
            Array.Resize(ref _buffer, Math.Min(partBytes, Math.Max(_buffer.Length * 2, _held + bytes.Length)));
        bytes.CopyTo(_buffer.AsSpan(_held));
        _held += bytes.Length;
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
