using System.Globalization;

namespace IngestLambda.Core.Validation;

/// <summary>
/// Checks a COMPOSITE stored checksum (a multipart upload's) part by part in the read's one pass (docs/reliability.md
/// "Integrity"). The parts S3 listed, in order, set the part boundaries by byte offset in the stored bytes, however the
/// read was cut into ranges; each part's digest is compared with the one S3 listed for it; and the digest of the
/// parts' digests, suffixed <c>-&lt;parts&gt;</c>, must be the stored value. Fed every stored byte once, in order.
/// </summary>
internal sealed class CompositeChecksum : IDisposable
{
    private readonly ExpectedChecksum _expected;
    private readonly IReadOnlyList<ExpectedPart> _parts;
    private readonly S3Digest _part;
    private readonly S3Digest _ofParts;
    private readonly byte[] _digest;
    private int _index;
    private long _partStart;
    private long _leftInPart;
    private long _bytes;
    private string? _mismatch;

    private CompositeChecksum(ExpectedChecksum expected, IReadOnlyList<ExpectedPart> parts, S3Digest part, S3Digest ofParts)
    {
        (_expected, _parts, _part, _ofParts) = (expected, parts, part, ofParts);
        _digest = new byte[part.Length];
        _leftInPart = parts.Count > 0 ? parts[0].Size : 0;
        EndEmptyParts();
    }

    /// <summary>The check of <paramref name="expected"/>'s listed parts, or null when it has none or its algorithm has no composite form.</summary>
    public static CompositeChecksum? For(ExpectedChecksum expected)
    {
        if (expected.IsFullObject || expected.Parts is not { Count: > 0 } parts || S3Digest.For(expected.Algorithm) is not { } part)
            return null;
        return new CompositeChecksum(expected, parts, part, S3Digest.For(expected.Algorithm)!);
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _bytes += bytes.Length;
        while (!bytes.IsEmpty && _index < _parts.Count)
        {
            var take = (int)Math.Min(bytes.Length, _leftInPart);
            _part.Append(bytes[..take]);
            bytes = bytes[take..];
            _leftInPart -= take;
            EndEmptyParts();
        }
        // Bytes past the last part are counted: the parts then do not describe what was read (Complete).
    }

    /// <summary>Ends every part that has no bytes left to read, starting the next.</summary>
    private void EndEmptyParts()
    {
        while (_index < _parts.Count && _leftInPart == 0)
        {
            var part = _parts[_index];
            _part.WriteAndReset(_digest);
            var computed = Convert.ToBase64String(_digest);
            if (_mismatch is null && computed != part.Checksum)
            {
                _mismatch = string.Create(CultureInfo.InvariantCulture,
                    $"the {_expected.Algorithm} of part {part.Number} (bytes {_partStart}-{_partStart + part.Size - 1}) is {computed}, S3 listed {part.Checksum}");
            }
            _ofParts.Append(_digest);
            _partStart += part.Size;
            _index++;
            _leftInPart = _index < _parts.Count ? _parts[_index].Size : 0;
        }
    }

    /// <summary>Whether every part matched and the parts' composite is the stored value; when not, why (for the read's error).</summary>
    public (bool Verified, string? Mismatch) Complete()
    {
        if (_index < _parts.Count || _bytes != _partStart)
        {
            return (false, string.Create(CultureInfo.InvariantCulture,
                $"{_bytes} bytes were read, and the {_parts.Count} parts S3 listed add up to {_parts.Sum(p => p.Size)}"));
        }
        if (_mismatch is not null)
            return (false, _mismatch);
        var composite = string.Create(CultureInfo.InvariantCulture, $"{_ofParts.Base64AndReset()}-{_parts.Count}");
        return composite == _expected.Value
            ? (true, null)
            : (false, $"every part matched the {_expected.Algorithm} S3 listed, but their composite {composite} is not the stored {_expected.Value}");
    }

    public void Dispose()
    {
        _part.Dispose();
        _ofParts.Dispose();
    }
}
