using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace IngestLambda.Core.Validation;

/// <summary>Why a <c>.csv.gz</c> is not a sound gzip stream: the offset in the compressed bytes and a sentence to act on.</summary>
public sealed record GzipProblem(long ByteOffset, string Message);

/// <summary>
/// The CSV inside a gzip object: one or more concatenated members (RFC 1952) inflated on the fly in bounded memory.
/// .NET's GZipStream ends quietly on a truncated member and ignores trailing garbage, so the framing is checked here:
/// each member's header is parsed, its deflate body inflated by <see cref="DeflateStream"/>, and its CRC-32/size
/// trailer must follow the body. The first problem ends the content (reads return 0) and is kept in <see cref="Problem"/>.
/// </summary>
internal sealed class GzipContentStream(Stream compressed) : ForwardReadStream
{
    private const int BufferBytes = 64 * 1024;
    /// <summary>At most this much is handed to the inflater at once, so the last chunk plus a trailer always fit the buffer.</summary>
    private const int HandBytes = BufferBytes / 2;

    private readonly byte[] _in = new byte[BufferBytes];
    private readonly byte[] _trailer = new byte[8];
    private readonly Crc32 _crc = new();
    private int _pos, _end;      // unread compressed bytes are _in[_pos.._end)
    private int _handStart;      // the chunk last handed to the inflater starts here: the member's body ends inside it
    private long _dropped;       // compressed bytes that were before _in[0]
    private bool _eof;
    private DeflateStream? _member;
    private long _memberStart;
    private long _memberBytes;
    private int _members;
    private bool _done;

    public GzipProblem? Problem { get; private set; }

    public long UncompressedBytes { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
            return 0;
        while (!_done)
        {
            if (_member is null && !await StartMemberAsync(cancellationToken).ConfigureAwait(false))
                continue;
            int read;
            try
            {
                read = await _member!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                Fail(Offset(_pos), $"the compressed data is corrupt at or before byte {Offset(_pos):N0} (in the gzip member that starts at byte {_memberStart:N0}): {e.Message}");
                break;
            }
            if (read > 0)
            {
                _crc.Append(buffer.Span[..read]);
                _memberBytes += read;
                UncompressedBytes += read;
                return read;
            }
            await EndMemberAsync(cancellationToken).ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>Parses the next member's header; false at the clean end of the stream or on a problem.</summary>
    private async Task<bool> StartMemberAsync(CancellationToken cancellationToken)
    {
        var start = Offset(_pos);
        var id1 = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
        if (id1 < 0)
        {
            if (_members == 0)
                Fail(0, "the object is empty: a .csv.gz must hold at least one gzip member");
            _done = true;
            return false;
        }
        var id2 = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
        if (id1 != 0x1f || id2 != 0x8b)
        {
            Fail(start, _members == 0
                ? "not a gzip stream: a .csv.gz must start with the gzip bytes 1f 8b (was the file renamed without being compressed?)"
                : $"the bytes after the last complete gzip member (from byte {start:N0}) are not a gzip member: trailing garbage");
            return false;
        }
        var method = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
        var flags = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
        if (method >= 0 && method != 8)
            return Fail(start + 2, $"the gzip member at byte {start:N0} uses compression method {method}; only deflate (8) exists");
        if (flags >= 0 && (flags & 0xE0) != 0)
            return Fail(start + 3, $"the gzip member at byte {start:N0} sets reserved header flags (0x{flags:x2})");
        var complete = flags >= 0 && await SkipAsync(6, cancellationToken).ConfigureAwait(false); // MTIME, XFL, OS
        if (complete && (flags & 0x04) != 0) // FEXTRA
        {
            var lo = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
            var hi = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
            complete = hi >= 0 && await SkipAsync(lo | (hi << 8), cancellationToken).ConfigureAwait(false);
        }
        if (complete && (flags & 0x08) != 0) // FNAME
            complete = await SkipPastZeroAsync(cancellationToken).ConfigureAwait(false);
        if (complete && (flags & 0x10) != 0) // FCOMMENT
            complete = await SkipPastZeroAsync(cancellationToken).ConfigureAwait(false);
        if (complete && (flags & 0x02) != 0) // FHCRC
            complete = await SkipAsync(2, cancellationToken).ConfigureAwait(false);
        if (!complete)
            return Fail(Offset(_pos), $"the gzip stream is truncated: it ends at byte {Offset(_pos):N0} inside the header of the member that starts at byte {start:N0}");

        _memberStart = start;
        _memberBytes = 0;
        _crc.Reset();
        _members++;
        _handStart = _pos;
        _member = new DeflateStream(new InflaterInput(this), CompressionMode.Decompress, leaveOpen: false);
        return true;
    }

    /// <summary>The body ended (or the input did): the member's CRC-32 and size must follow it.</summary>
    private async Task EndMemberAsync(CancellationToken cancellationToken)
    {
        await _member!.DisposeAsync().ConfigureAwait(false);
        _member = null;
        BinaryPrimitives.WriteUInt32LittleEndian(_trailer, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(_trailer.AsSpan(4), unchecked((uint)_memberBytes));
        while (_end - _pos < _trailer.Length && await FillAsync(keepFrom: _handStart, cancellationToken).ConfigureAwait(false))
        {
        }
        var window = _in.AsSpan(_handStart, _end - _handStart);
        var at = window.IndexOf(_trailer);
        if (at >= 0)
        {
            _pos = _handStart + at + _trailer.Length;
            _handStart = _pos;
            return;
        }
        var end = Offset(_end);
        if (_eof && _pos == _end && window.Length >= 8 && window[^4..].SequenceEqual(_trailer.AsSpan(4)))
        {
            Fail(end - 8, $"the gzip member that starts at byte {_memberStart:N0} is damaged: its CRC-32 does not match the data it decompresses to (a corrupt file)");
            return;
        }
        Fail(end, $"the gzip stream is truncated: it ends at byte {end:N0}, before the member that starts at byte {_memberStart:N0} is complete (an interrupted upload or copy?)");
    }

    private bool Fail(long offset, string message)
    {
        Problem ??= new GzipProblem(offset, message);
        _done = true;
        return false;
    }

    private long Offset(int index) => _dropped + index;

    private async ValueTask<int> ReadByteAsync(CancellationToken cancellationToken)
    {
        if (_pos == _end && !await FillAsync(keepFrom: _pos, cancellationToken).ConfigureAwait(false))
            return -1;
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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _member?.Dispose();
        base.Dispose(disposing);
    }
}
