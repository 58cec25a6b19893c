using IngestLambda.Analytics.Cli;
using IngestLambda.Analytics.Lake;

namespace IngestLambda.Analytics.Tests;

/// <summary>The s3:// download cache stays within its size: least recently used entries go first, never the run's own files.</summary>
public sealed class AnswersCacheTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _dir = Directory.CreateTempSubdirectory("answers-cache-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Entry(string name, int bytes, int daysSinceUse)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastAccessTimeUtc(path, Now.AddDays(-daysSinceUse));
        return path;
    }

    private AnswersCache Cache(long maxBytes) => new(_dir, maxBytes, new FixedTime(Now));

    [Fact]
    public void Least_recently_used_entries_go_first_until_the_download_fits_and_the_runs_own_files_stay()
    {
        var oldest = Entry("a-100.csv", 100, daysSinceUse: 30);
        var older = Entry("b-100.csv", 100, daysSinceUse: 20);
        var recent = Entry("c-100.csv", 100, daysSinceUse: 1);
        var needed = Entry("d-100.csv", 100, daysSinceUse: 40); // the oldest of all, but this run reads it
        var partial = Entry("e-100.csv.123.part", 50, daysSinceUse: 25); // an interrupted download

        // 450 bytes held + 100 to download, within 350: the three least recently used that are not needed go.
        var deleted = Cache(maxBytes: 350).MakeRoom([needed], incomingBytes: 100);

        Assert.Equal([oldest, partial, older], deleted);
        Assert.All(deleted, path => Assert.False(File.Exists(path)));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(needed));
    }

    [Fact]
    public void Nothing_goes_while_everything_fits()
    {
        var a = Entry("a-100.csv", 100, daysSinceUse: 300);
        Assert.Empty(Cache(maxBytes: 200).MakeRoom([], incomingBytes: 100));
        Assert.True(File.Exists(a));
    }

    [Fact]
    public void Using_an_entry_makes_it_the_last_to_go()
    {
        var a = Entry("a-100.csv", 100, daysSinceUse: 30);
        var b = Entry("b-100.csv", 100, daysSinceUse: 1);
        var cache = Cache(maxBytes: 100);

        cache.MarkUsed([a]);

        Assert.Equal([b], cache.MakeRoom([], incomingBytes: 0));
        Assert.Equal(Now, File.GetLastAccessTimeUtc(a));
    }

    [Theory]
    [InlineData(null, AnswersCache.DefaultMaxMegabytes)]
    [InlineData("64", 64)]
    [InlineData("0", 0)]
    public void The_limit_is_ANSWERS_CACHE_MAX_MB_megabytes(string? setting, long megabytes)
    {
        var cache = AnswersCache.FromEnvironment(name => name switch
        {
            AnswersCache.MaxMegabytesVariable => setting,
            AnswersCache.DirectoryVariable => _dir,
            _ => null,
        });
        Assert.Equal(megabytes * 1024 * 1024, cache.MaxBytes);
        Assert.Equal(_dir, cache.Directory);
    }

    [Fact]
    public void The_default_location_is_under_XDG_CACHE_HOME()
    {
        var cache = AnswersCache.FromEnvironment(name => name == "XDG_CACHE_HOME" ? _dir : null);
        Assert.Equal(Path.Combine(_dir, "ingestlambda", "answers"), cache.Directory);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-1")]
    public void A_bad_limit_is_a_usage_error(string setting)
    {
        var error = Assert.Throws<UsageException>(() => AnswersCache.FromEnvironment(name => name == AnswersCache.MaxMegabytesVariable ? setting : null));
        Assert.Contains(AnswersCache.MaxMegabytesVariable, error.Message);
    }

    private sealed class FixedTime(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now);
    }
}
