using System.Security.Cryptography;

namespace IngestLambda.Core.Validation;

/// <summary>
/// The object as stored, read forward once: counts and hashes every byte that passes, so the report's <c>bytes</c> and
/// <c>sha256</c> describe the stored object (the gzip bytes of a <c>.csv.gz</c>) whatever reads it.
/// </summary>
internal sealed class StoredBytesStream(Stream source) : ForwardReadStream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    public string Sha256Hex() => Convert.ToHexStringLower(_sha256.GetHashAndReset());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(buffer.Span[..read]);
        return read;
    }

    /// <summary>Reads what is left, so bytes and hash cover the whole object even when validation stopped early.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    private void Count(ReadOnlySpan<byte> bytes)
    {
        _sha256.AppendData(bytes);
        BytesRead += bytes.Length;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _sha256.Dispose();
        base.Dispose(disposing);
    }
}
