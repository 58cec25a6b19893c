using Amazon.S3.Model;
using IngestLambda.Analytics.Tests.Infrastructure;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Analytics.Tests;

/// <summary>`answers --lake s3://…` against moto_server: the same answers as from the folder, a cache reused by ETag, access errors.</summary>
[Collection(MotoServerGroup.Name)]
[Trait("Category", "Integration")] // needs moto_server, the aws CLI or the published bootstrap: not in make test-unit
public sealed class S3LakeTests(MotoServer moto) : IDisposable
{
    private readonly TestLake _lake = new();
    private readonly string _cache = Directory.CreateTempSubdirectory("answers-cache-").FullName;

    public void Dispose()
    {
        _lake.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    private Dictionary<string, string> Environment => new()
    {
        ["AWS_ENDPOINT_URL"] = moto.Endpoint.ToString(),
        ["AWS_REGION"] = "us-east-1",
        ["ANSWERS_CACHE_DIR"] = _cache,
    };

    static S3LakeTests()
    {
        // The SDK's credential chain reads these from the process (moto accepts any).
        System.Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "testing");
        System.Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "testing");
    }

    [Fact]
    public async Task S3_lake_answers_as_the_folder_does_and_reuses_the_cache_on_the_next_run()
    {
        var bucket = $"answers-{Guid.NewGuid():N}";
        using var s3 = moto.CreateClient();
        await s3.PutBucketAsync(bucket);
        foreach (var path in Directory.EnumerateFiles(_lake.Root, "*", SearchOption.AllDirectories))
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "team/" + Path.GetRelativePath(_lake.Root, path), FilePath = path });

        var folder = await AnswersRun.RunAsync(null, "--lake", _lake.Root, "--all", "--json");
        var first = await AnswersRun.RunAsync(Environment, "--lake", $"s3://{bucket}/team", "--all", "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        AnswersAssert.Equal(folder.Answers, first.Answers);
        // Only the snapshot's five objects were fetched: nothing outside Raw, no decoys.
        var cached = Directory.GetFiles(_cache).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(5, cached.Count);

        var second = await AnswersRun.RunAsync(Environment, "--lake", $"s3://{bucket}/team", "--all", "--json");
        Assert.True(second.ExitCode == 0, second.ToString());
        // Same answers (means are parallel sums: equal up to the last bits, not byte for byte), and no download.
        AnswersAssert.Equal(first.Answers, second.Answers);
        Assert.Equal(cached, Directory.GetFiles(_cache).ToDictionary(f => f, File.GetLastWriteTimeUtc));
    }

    private async Task<string> UploadLakeAsync()
    {
        var bucket = $"answers-{Guid.NewGuid():N}";
        using var s3 = moto.CreateClient();
        await s3.PutBucketAsync(bucket);
        foreach (var path in Directory.EnumerateFiles(_lake.Root, "*", SearchOption.AllDirectories))
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = Path.GetRelativePath(_lake.Root, path), FilePath = path });
        return bucket;
    }

    [Fact]
    public async Task The_cache_stays_within_its_limit_least_recently_used_first_keeping_the_snapshot_it_reads()
    {
        var bucket = await UploadLakeAsync();
        // An entry of an object no longer read, as large as the whole default limit (sparse: no disk used).
        var stale = Path.Combine(_cache, "0123abcd-536870912.csv");
        using (var file = File.Create(stale))
            file.SetLength(512L * 1024 * 1024);
        File.SetLastAccessTimeUtc(stale, DateTime.UtcNow.AddDays(-30));

        var run = await AnswersRun.RunAsync(Environment, "--lake", $"s3://{bucket}", "--all", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(File.Exists(stale), "the least recently used entry stayed although the cache was over its limit");
        Assert.Equal(5, Directory.GetFiles(_cache).Length); // the snapshot's files, downloaded and kept
    }

    [Fact]
    public async Task No_cache_answers_the_same_and_leaves_the_cache_alone()
    {
        var bucket = await UploadLakeAsync();
        var folder = await AnswersRun.RunAsync(null, "--lake", _lake.Root, "--all", "--json");
        string[] Temporary() => Directory.GetDirectories(Path.GetTempPath(), "answers-no-cache-*");
        var before = Temporary();

        var run = await AnswersRun.RunAsync(Environment, "--lake", $"s3://{bucket}", "--all", "--json", "--no-cache");

        Assert.True(run.ExitCode == 0, run.ToString());
        AnswersAssert.Equal(folder.Answers, run.Answers);
        Assert.Empty(Directory.GetFileSystemEntries(_cache));
        Assert.Equal(before, Temporary()); // its download folder is gone
    }

    [Fact]
    public async Task A_bad_file_in_S3_is_named_by_its_s3_uri_and_line()
    {
        var bucket = $"answers-{Guid.NewGuid():N}";
        using var s3 = moto.CreateClient();
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "Raw/Local/CSV/Movies/2026/11/26/bad.csv",
            ContentBody = LakeRows.MoviesHeader + "\ntt0000001|A|A|1999|90|Drama|7,5|100|actor|x|Name|1950|\\N|actor|tt0000002\n",
        });

        var run = await AnswersRun.RunAsync(Environment, "--lake", $"s3://{bucket}");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"s3://{bucket}/Raw/Local/CSV/Movies/2026/11/26/bad.csv", run.StdErr);
        Assert.Matches(@"[Ll]ine:? 2\b", run.StdErr);
        Assert.DoesNotContain(_cache, run.StdErr);
    }

    [Fact]
    public async Task A_missing_bucket_exits_2_with_a_clear_message()
    {
        var run = await AnswersRun.RunAsync(Environment, "--lake", "s3://no-such-bucket-for-answers");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no-such-bucket-for-answers", run.StdErr);
        Assert.Contains("does not exist", run.StdErr);
    }

    [Fact]
    public async Task An_unreachable_endpoint_exits_2()
    {
        var environment = Environment;
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9/";
        var run = await AnswersRun.RunAsync(environment, "--lake", "s3://lake");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("s3://lake/", run.StdErr);
    }

    [Fact]
    public async Task An_empty_bucket_exits_1()
    {
        var bucket = $"answers-{Guid.NewGuid():N}";
        using var s3 = moto.CreateClient();
        await s3.PutBucketAsync(bucket);
        var run = await AnswersRun.RunAsync(Environment, "--lake", $"s3://{bucket}");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"s3://{bucket}/Raw/Local/CSV/", run.StdErr);
    }
}
