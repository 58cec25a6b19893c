using System.Text;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// Mutation fuzzing: valid files with random bytes flipped, inserted, deleted or duplicated. The validator must never
/// throw, must give the same result however the bytes are segmented, and must keep its memory bounded.
/// </summary>
public class ValidatorFuzzTests
{
    private static readonly byte[] Interesting = [(byte)'|', (byte)'\n', (byte)'\r', 0, (byte)'\\', (byte)'N', (byte)',', (byte)' ', (byte)'"', 0x80, 0xC3, 0xE2, 0xF0, 0xFF, 0xEF, 0xBB, 0xBF, (byte)'t', (byte)'9', (byte)'.'];

    private static byte[] Seed(Random random)
    {
        var rows = Enumerable.Range(0, random.Next(1, 30)).Select(i => MovieRow(("id", $"tt{1000000 + i}"), ("tituloPincipal", i % 3 == 0 ? "千と千尋 🎬" : "Hamlet, Prince")));
        return Movies([.. rows]);
    }

    private static byte[] Mutate(byte[] data, Random random)
    {
        var bytes = data.ToList();
        for (var m = random.Next(1, 6); m > 0; m--)
        {
            var at = random.Next(0, bytes.Count + 1);
            var value = random.Next(3) == 0 ? (byte)random.Next(256) : Interesting[random.Next(Interesting.Length)];
            switch (random.Next(5))
            {
                case 0 when at < bytes.Count: bytes[at] = value; break;
                case 1: bytes.Insert(at, value); break;
                case 2 when at < bytes.Count: bytes.RemoveAt(at); break;
                case 3 when at < bytes.Count:
                    var length = Math.Min(random.Next(1, 200), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default: bytes.Insert(at, (byte)'\n'); break;
            }
        }
        return [.. bytes];
    }

    [Fact]
    public void Mutated_files_never_throw_and_give_the_same_result_in_any_segmentation()
    {
        var random = new Random(20261126);
        var rejected = 0;
        for (var iteration = 0; iteration < 400; iteration++)
        {
            var data = Mutate(Seed(random), random);
            var options = Options(maxLineBytes: random.Next(2) == 0 ? 120 : ValidationOptions.DefaultMaxLineBytes, maxErrors: random.Next(1, 20));
            var whole = Whole(data, options);
            ValidatorTests.AssertSame(whole, Segmented(data, RandomSizes(iteration, 1 + random.Next(200)), options), $"iteration {iteration}");
            if (iteration % 20 == 0)
                ValidatorTests.AssertSame(whole, Segmented(data, Ones(), options), $"iteration {iteration}, 1-byte segments");
            Assert.Equal(data.Length, whole.Bytes);
            Assert.Equal(whole.ErrorCount == 0 && whole.Dataset is not null && whole.Rows > 0, whole.Accepted);
            Assert.True(whole.Errors.Count <= options.MaxReportedErrors);
            Assert.True(whole.ErrorCount >= whole.Errors.Count);
            if (!whole.Accepted)
            {
                rejected++;
                Assert.NotEqual(0, whole.ErrorCount); // every rejection says why
            }
        }
        Assert.InRange(rejected, 100, 400); // the mutations do break files
    }

    [Fact]
    public void Binary_input_is_rejected_with_bounded_errors()
    {
        var random = new Random(7);
        var data = new byte[1 << 20];
        random.NextBytes(data);
        var r = ValidatorTests.Check(data, Options(maxErrors: 50));
        Assert.False(r.Accepted);
        Assert.Null(r.Dataset);
        Assert.Equal(ErrorCodes.UnknownHeader, r.Errors[0].Code);
        Assert.True(r.Errors.Count <= 50);
    }

    [Fact]
    public void A_line_full_of_nul_bytes_reports_one_error_and_allocates_little()
    {
        var line = new byte[200_000]; // all NUL
        var data = Movies(MovieRow()).Concat(line).Concat("\n"u8.ToArray()).Concat(Movies(MovieRow()).Skip(Encoding.UTF8.GetByteCount(MoviesHeader) + 1)).ToArray();
        Whole(data); // warm up: first calls JIT-compile and initialise statics on this thread
        var before = GC.GetAllocatedBytesForCurrentThread();
        var r = Whole(data);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var e = Assert.Single(r.Errors, e => e.Code == ErrorCodes.NulByte);
        Assert.Equal(3, e.Line);
        // The profile's fixed memory (docs/contracts.md "Profile": per column a 16 KiB sketch, its 0.5 KiB of pending
        // hashes and 4 KiB of recent short values; the list counters' tables) comes once per file, whatever its lines;
        // without it the pass allocates as little as before.
        Assert.True(allocated < 64 * 1024 + 15 * (16 + 1 + 4) * 1024 + 3 * 64 * 1024, $"allocated {allocated:N0} bytes");
        var noProfile = Options() with { Profile = false };
        Whole(data, noProfile);
        before = GC.GetAllocatedBytesForCurrentThread();
        Whole(data, noProfile);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 64 * 1024, $"allocated {allocated:N0} bytes without the profile");
    }

    [Fact]
    public void Memory_stays_bounded_when_a_huge_line_arrives_in_small_segments()
    {
        // 8 MiB on one line with a 64 KiB limit: reported as too long, never buffered whole.
        var data = Encoding.UTF8.GetBytes(MoviesHeader + "\n").Concat(Enumerable.Repeat((byte)'x', 8 << 20)).Concat("\n"u8.ToArray())
            .Concat(Encoding.UTF8.GetBytes(MovieRow() + "\n")).ToArray();
        Segmented(data, RandomSizes(3, 4096), Options(maxLineBytes: 64 * 1024)); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        var r = Segmented(data, RandomSizes(3, 4096), Options(maxLineBytes: 64 * 1024));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ErrorCodes.LineTooLong, Assert.Single(r.Errors).Code);
        Assert.Equal(2, r.Rows);
        // The scratch line buffer (limit + 2) and the test's own segment bookkeeping; never the 8 MiB line.
        Assert.True(allocated < 2 << 20, $"allocated {allocated:N0} bytes");
    }
}
