namespace IngestLambda.Core.Validation;

/// <summary>
/// The object as stored, read forward once: counts and digests every byte that passes (<see cref="StoredDigests"/>),
/// so the report's <c>bytes</c>, <c>crc64nvme</c> and <c>sha256</c> describe the stored object (the gzip bytes of a
/// <c>.csv.gz</c>) whatever reads it.
/// </summary>
internal sealed class StoredBytesStream(Stream source, StoredDigests digests) : ForwardReadStream
{
    public long BytesRead { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(buffer.Span[..read]);
        return read;
    }

    /// <summary>Reads what is left, so bytes and digests cover the whole object even when validation stopped early.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    private void Count(ReadOnlySpan<byte> bytes)
    {
        digests.Append(bytes);
        BytesRead += bytes.Length;
    }
}
