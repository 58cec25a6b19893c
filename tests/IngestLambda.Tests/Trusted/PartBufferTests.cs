using IngestLambda.Lake.Trusted;

namespace IngestLambda.Tests.Trusted;

/// <summary>
/// The stream the Parquet writer writes into holds at most one part: each part goes up the moment it fills, in order and
/// whole, and what is left for the commit is less than a part (docs/contracts.md "Trusted zone", Memory).
/// </summary>
public sealed class PartBufferTests
{
    private const int PartBytes = 5 * 1024 * 1024;

    [Fact]
    public async Task Full_parts_go_up_as_they_fill_and_the_rest_is_held_for_the_commit()
    {
        var uploaded = new List<byte[]>();
        var buffer = new PartBuffer(PartBytes, (part, _) =>
        {
            uploaded.Add(part.ToArray());
            return Task.CompletedTask;
        });
        var random = new Random(26);
        var written = new MemoryStream();
        // Writes of every size, some longer than a part, as the library's pages are.
        foreach (var size in new[] { 4, 100_000, PartBytes - 3, 7, PartBytes * 2 + 11, 1, 3_000_000 })
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            await buffer.WriteAsync(bytes.AsMemory());
            written.Write(bytes);
            Assert.InRange(buffer.Held.Count, 0, PartBytes - 1);
            Assert.Equal(written.Length, buffer.Position);
        }

        Assert.Equal(written.Length / PartBytes, uploaded.Count);
        Assert.All(uploaded, part => Assert.Equal(PartBytes, part.Length));
        Assert.Equal(written.ToArray(), uploaded.SelectMany(p => p).Concat(buffer.Held).ToArray());
    }

    [Fact]
    public void A_synchronous_write_is_refused_rather_than_held_past_a_part()
    {
        using var buffer = new PartBuffer(PartBytes, (_, _) => Task.CompletedTask);
        Assert.Throws<NotSupportedException>(() => buffer.Write(new byte[10], 0, 10));
    }
}
