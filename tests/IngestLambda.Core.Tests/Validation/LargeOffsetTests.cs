using System.Text;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// A file just past 2^31 bytes, generated as it is read (never in memory): rows and byte offsets beyond what a 32-bit
/// integer holds come out exact. (The moto_server Large tests use a smaller object; see tests/IngestLambda.Tests
/// Reliability/LargeLanding.cs.)
/// </summary>
[Trait("Category", "Large")]
public class LargeOffsetTests
{
    [Fact]
    public async Task A_file_past_2_GiB_counts_every_row_and_places_an_error_beyond_2_to_the_31()
    {
        var header = Encoding.UTF8.GetBytes(TestFiles.MoviesHeader + "\n");
        var row = Encoding.UTF8.GetBytes(TestFiles.MovieRow() + "\n");
        var bad = Encoding.UTF8.GetBytes(TestFiles.MovieRow(("notaMedia", "7,5")) + "\n");
        var rows = ((1L << 31) - header.Length) / row.Length + 1; // the last good row ends past 2^31
        var source = new GeneratedStream(header, row, rows, bad);

        var result = await CsvValidator.ValidateAsync(source, TestFiles.Options());

        var expectedBytes = header.Length + rows * row.Length + bad.Length;
        Assert.True(expectedBytes > int.MaxValue);
        Assert.Equal(expectedBytes, result.Bytes);
        Assert.Equal(rows + 1, result.Rows);
        var error = Assert.Single(result.Errors);
        Assert.Equal(rows + 2, error.Line); // the header is line 1
        Assert.Equal("notaMedia", error.Column);
        Assert.Equal(header.Length + rows * row.Length + TestFiles.MovieRow().Split('|').Take(6).Sum(f => Encoding.UTF8.GetByteCount(f) + 1), error.ByteOffset);
    }

    /// <summary>header, then <c>row</c> × count, then <c>last</c>, produced as it is read.</summary>
    private sealed class GeneratedStream(byte[] header, byte[] row, long count, byte[] last) : Stream
    {
        private readonly long _length = header.Length + row.Length * count + last.Length;
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> destination)
        {
            var written = 0;
            var rowsEnd = header.Length + row.Length * count;
            while (written < destination.Length && _position < _length)
            {
                ReadOnlySpan<byte> from = _position < header.Length ? header.AsSpan((int)_position)
                    : _position < rowsEnd ? row.AsSpan((int)((_position - header.Length) % row.Length))
                    : last.AsSpan((int)(_position - rowsEnd));
                var n = Math.Min(from.Length, destination.Length - written);
                from[..n].CopyTo(destination[written..]);
                written += n;
                _position += n;
            }
            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
