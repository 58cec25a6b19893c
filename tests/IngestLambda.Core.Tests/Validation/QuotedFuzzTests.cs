using System.Text;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// Mutation fuzzing of quoted files: valid ones with quotes, delimiters, line breaks and other bytes flipped, inserted,
/// deleted or duplicated. The validator must never throw, must give the same result however the bytes are segmented
/// (records spanning segments, skipped too-long records), and must count the records the byte-by-byte quote walk finds.
/// </summary>
public class QuotedFuzzTests
{
    private static readonly byte[] Interesting = "\"\"\",\n\r\0\\N ,x5.".Select(c => (byte)c).Concat(new byte[] { 0xC3, 0xA9, 0xFF }).ToArray();

    private static byte[] Seed(Random random)
    {
        string[] titles = ["plain", "\"with, comma\"", "\"two\nlines\"", "\"crlf\r\ninside\"", "\"\"\"quoted\"\" start\"", "\"\"", "\"é ç\""];
        var rows = Enumerable.Range(0, random.Next(1, 25)).Select(i =>
            $"{i + 1},{titles[random.Next(titles.Length)]},{random.Next(1, 10) / 2.0:0.0},2026-11-{random.Next(10, 28)},{(random.Next(2) == 0 ? "yes" : "\"no\"")}");
        return Encoding.UTF8.GetBytes(QuotedValidationTests.Header + "\n" + string.Join(random.Next(3) == 0 ? "\r\n" : "\n", rows) + (random.Next(4) == 0 ? "" : "\n"));
    }

    private static byte[] Mutate(byte[] data, Random random)
    {
        var bytes = data.ToList();
        for (var m = random.Next(0, 5); m > 0; m--)
        {
            var at = random.Next(QuotedValidationTests.Header.Length + 1, bytes.Count + 1); // keep the header: the data is what is fuzzed
            var value = Interesting[random.Next(Interesting.Length)];
            switch (random.Next(4))
            {
                case 0 when at < bytes.Count: bytes[at] = value; break;
                case 1: bytes.Insert(at, value); break;
                case 2 when at < bytes.Count: bytes.RemoveAt(at); break;
                default:
                    if (at < bytes.Count)
                        bytes.InsertRange(at, bytes.GetRange(at, Math.Min(random.Next(1, 100), bytes.Count - at)));
                    break;
            }
        }
        return [.. bytes];
    }

    [Fact]
    public void Mutated_quoted_files_give_the_same_result_in_any_segmentation_and_the_walks_record_count()
    {
        var random = new Random(20261207);
        var rejected = 0;
        for (var iteration = 0; iteration < 600; iteration++)
        {
            var data = Mutate(Seed(random), random);
            var options = Options(maxLineBytes: random.Next(4) == 0 ? 80 : ValidationOptions.DefaultMaxLineBytes, maxErrors: random.Next(1, 30))
                with { Schemas = Contracts.TestContracts.Catalog(QuotedValidationTests.Ratings) };
            var whole = Whole(data, options);
            ValidatorTests.AssertSame(whole, Segmented(data, RandomSizes(iteration, 1 + random.Next(150)), options), $"iteration {iteration}");
            if (iteration % 10 == 0)
                ValidatorTests.AssertSame(whole, Segmented(data, Ones(), options), $"iteration {iteration}, 1-byte segments");
            Assert.Equal("Ratings", whole.Dataset);
            Assert.Equal(Records(data), whole.Rows);
            Assert.Equal(whole.ErrorCount == 0 && whole.Rows > 0, whole.Accepted);
            if (!whole.Accepted)
                rejected++;
        }
        Assert.InRange(rejected, 100, 500); // the mutations do break files, and not all of them
    }

    /// <summary>Data records by the byte-by-byte walk: line feeds outside quotes after the header, and a last record without one.</summary>
    private static long Records(byte[] data)
    {
        var start = Array.IndexOf(data, (byte)'\n') + 1;
        var walker = new QuoteWalker((byte)',', (byte)'"');
        long records = 0;
        for (var k = start; k < data.Length; k++)
        {
            if (walker.Next(data[k]) == QuoteWalker.Kind.LineFeed)
                records++;
        }
        return records + (start < data.Length && data[^1] != (byte)'\n' || walker.InQuote && start < data.Length ? 1 : 0);
    }
}
