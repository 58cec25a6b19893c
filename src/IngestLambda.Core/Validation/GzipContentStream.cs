using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace IngestLambda.Core.Validation;

/// <summary>Why a <c>.csv.gz</c> is not a sound gzip stream: the offset in the compressed bytes and a sentence to act on.</summary>
public sealed record GzipProblem(long ByteOffset, string Message);

/// <summary>
/// The CSV inside a gzip object: one or more concatenated members (RFC 1952) inflated on the fly in bounded memory.
/// .NET's GZipStream ends quietly on a truncated member and ignores trailing garbage, so the framing is checked here:
/// each member's header is parsed (and its CRC16 checked when FHCRC is set, as gzip -t does), its deflate body
/// inflated by <see cref="DeflateStream"/>, and its CRC-32/size trailer must follow the body. The first problem ends
/// the content (reads return 0) and is kept in <see cref="Problem"/>. This file: the members and their framing;
/// GzipContentStream.Input.cs: the compressed bytes, read through one window that the header, body and trailer share.
/// </summary>
internal sealed partial class GzipContentStream(Stream compressed) : ForwardReadStream
{
    private const int BufferBytes = 64 * 1024;
    /// <summary>At most this much is handed to the inflater at once, so the last chunk plus a trailer always fit the buffer.</summary>
    private const int HandBytes = BufferBytes / 2;

    private readonly byte[] _in = new byte[BufferBytes];
    private readonly byte[] _trailer = new byte[8];
    private readonly Crc32 _crc = new();
    private readonly Crc32 _headerCrc = new(); // of the member header's bytes read so far, for FHCRC
    private bool _inHeader;
    private int _pos, _end;      // unread compressed bytes are _in[_pos.._end)
    private int _handStart;      // the chunk last handed to the inflater starts here: the member's body ends inside it
    private long _dropped;       // compressed bytes that were before _in[0]
    private bool _eof;
    private DeflateStream? _member;
    private long _memberStart;
    private long _bodyStart;
    private long _memberBytes;
    private int _members;
    private bool _done;

    public GzipProblem? Problem { get; private set; }

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
        _headerCrc.Reset();
        _inHeader = true;
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
        _inHeader = false;
        if (complete && (flags & 0x02) != 0) // FHCRC: the low 16 bits of the CRC-32 of the header bytes before it
        {
            var expected = (ushort)_headerCrc.GetCurrentHashAsUInt32();
            var at = Offset(_pos);
            var lo = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
            var hi = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
            complete = hi >= 0;
            if (complete && (lo | (hi << 8)) != expected)
                return Fail(at, $"the gzip member at byte {start:N0} is damaged: its header CRC (FHCRC) does not match the header");
        }
        if (!complete)
            return Fail(Offset(_pos), $"the gzip stream is truncated: it ends at byte {Offset(_pos):N0} inside the header of the member that starts at byte {start:N0}");

        _memberStart = start;
        _bodyStart = Offset(_pos);
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
        // The trailer and the next member's magic bytes, when there is one, are all in the buffer.
        while (_end - _pos < _trailer.Length + 2 && await FillAsync(keepFrom: _handStart, cancellationToken).ConfigureAwait(false))
        {
        }
        var window = _in.AsSpan(_handStart, _end - _handStart);
        var at = _memberBytes == 0 && _bodyStart >= _dropped
            ? EmptyBodyEnd() - _handStart
            : FindTrailer(window, lastStart: _pos - _handStart);
        if (at >= 0 && !window[at..].StartsWith(_trailer))
            at = -1;
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

    /// <summary>
    /// Where the trailer starts in <paramref name="window"/> (the last chunk handed to the inflater and what follows):
    /// the body ends somewhere in that chunk, at or before <paramref name="lastStart"/>, and the inflater does not say
    /// where. The trailer bytes can also appear across the body's last bytes: an empty member's body ends in a zero
    /// byte and its trailer is eight zeros. So the first match followed by the end of the object or by another
    /// member's magic bytes wins; without one, the first match (what follows it is then reported as trailing garbage).
    /// </summary>
    private int FindTrailer(ReadOnlySpan<byte> window, int lastStart)
    {
        var first = -1;
        for (var at = window.IndexOf(_trailer); at >= 0 && at <= lastStart; at = Next(window, at))
        {
            if (first < 0)
                first = at;
            var after = window[(at + _trailer.Length)..];
            if ((after.IsEmpty && _eof) || (after.Length >= 2 && after[0] == 0x1f && after[1] == 0x8b))
                return at;
        }
        return first;
    }

    /// <summary>
    /// Where the body of a member that decompressed to nothing ends (an index in the buffer, which still holds the
    /// whole body), found exactly: the body is inflated again one byte at a time, so the inflater cannot read past
    /// its end. Such a body is a few bytes (gzip writes 03 00), and its trailer of eight zeros is ambiguous.
    /// </summary>
    private int EmptyBodyEnd()
    {
        var bodyStart = (int)(_bodyStart - _dropped);
        var body = new OneByteAtATime(_in.AsMemory(bodyStart, _end - bodyStart));
        using var inflater = new DeflateStream(body, CompressionMode.Decompress);
        try
        {
            Span<byte> output = stackalloc byte[1];
            return inflater.Read(output) == 0 ? bodyStart + body.Used : -1;
        }
        catch (InvalidDataException)
        {
            return -1;
        }
    }

    private int Next(ReadOnlySpan<byte> window, int at)
    {
        var next = window[(at + 1)..].IndexOf(_trailer);
        return next < 0 ? -1 : at + 1 + next;
    }

    private bool Fail(long offset, string message)
    {
        Problem ??= new GzipProblem(offset, message);
        _done = true;
        return false;
    }
}
