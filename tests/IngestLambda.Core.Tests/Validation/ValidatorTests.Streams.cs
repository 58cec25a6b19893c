using System.Security.Cryptography;
using System.Text;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

// Reading from streams: failures and bounded memory.
public partial class ValidatorTests
{
    [Fact]
    public async Task A_failing_source_stream_throws_instead_of_giving_a_verdict()
    {
        var data = Movies(Enumerable.Repeat(MovieRow(), 5000).ToArray());
        var ex = await Assert.ThrowsAsync<IOException>(() => CsvValidator.ValidateAsync(new FailingStream(data, failAfter: data.Length / 2)));
        Assert.Contains("connection reset", ex.Message, StringComparison.Ordinal);
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IngestLambda.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("IngestLambda.sln not found above the test assembly.");
    }

    private sealed class FailingStream(byte[] data, int failAfter) : ForwardOnlyStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAfter)
                throw new IOException("connection reset by peer");
            var n = Math.Min(Math.Min(buffer.Length, 1000), failAfter - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }

    /// <summary>A header followed by the same row many times, generated on the fly.</summary>
    internal sealed class RepeatingStream(byte[] header, byte[] row, int rows) : ForwardOnlyStream
    {
        private long _position;
        private readonly long _length = header.Length + ((long)row.Length * rows);

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            while (written < buffer.Length && _position < _length)
            {
                var (source, at) = _position < header.Length
                    ? (header, (int)_position)
                    : (row, (int)((_position - header.Length) % row.Length));
                var n = Math.Min(buffer.Length - written, source.Length - at);
                source.AsSpan(at, n).CopyTo(buffer[written..]);
                written += n;
                _position += n;
            }
            return written;
        }
    }
}

/// <summary>Measures allocations process-wide, so it runs alone.</summary>
[CollectionDefinition(nameof(MemoryMeasurements), DisableParallelization = true)]
public sealed class MemoryMeasurements;

[Collection(nameof(MemoryMeasurements))]
public class ValidatorMemoryTests
{
    [Fact]
    public async Task A_large_stream_is_validated_in_bounded_memory()
    {
        // 64 MiB of rows streamed through the pipe: the engine must not hold the file.
        var row = Encoding.UTF8.GetBytes(MovieRow() + "\n");
        var header = Encoding.UTF8.GetBytes(MoviesHeader + "\n");
        var rows = (64 << 20) / row.Length;
        var stream = new ValidatorTests.RepeatingStream(header, row, rows);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var r = await CsvValidator.ValidateAsync(stream);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(r.Accepted);
        Assert.Equal(rows, r.Rows);
        Assert.True(allocated < 16 << 20, $"allocated {allocated:N0} bytes for a 64 MiB file");
    }
}
