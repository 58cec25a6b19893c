using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Configuration;
using IngestLambda.Host;
using IngestLambda.Lake;
using IngestLambda.Observability;
using IngestLambda.Pipeline;

namespace IngestLambda.Tests.Infrastructure;


/// <summary>One uniquely named bucket on the test S3 endpoint, with helpers to land files, invoke the function and inspect the lake.</summary>
internal sealed partial class TestLake : IDisposable
{
    public const string EventTime = "2026-11-26T10:15:30.000Z";
    public const string DatePath = "2026/11/26";

    private readonly MotoServer _moto;

    private TestLake(MotoServer moto, string bucket)
    {
        _moto = moto;
        Bucket = bucket;
        S3 = moto.CreateClient();
    }

    public string Bucket { get; }
    public IAmazonS3 S3 { get; }
    public StringWriter Log { get; } = new();

    // One synchronized writer for every function of this lake: a SyncTextWriter locks on itself, so functions that
    // each wrapped Log anew would write into the one StringWriter at once (a race that corrupts its buffer).
    private TextWriter? _sharedLog;

    internal TextWriter SharedLog => _sharedLog ??= TextWriter.Synchronized(Log);

    public static async Task<TestLake> CreateAsync(MotoServer moto, bool versioned = true)
    {
        var lake = new TestLake(moto, "ingest-" + Guid.NewGuid().ToString("N")[..20]);
        await lake.S3.PutBucketAsync(lake.Bucket);
        if (versioned)
        {
            await lake.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest
            {
                BucketName = lake.Bucket,
                VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
            });
        }
        return lake;
    }

    public IngestConfig Config(Func<IngestConfig, IngestConfig>? change = null)
    {
        var config = new IngestConfig { S3Endpoint = _moto.Endpoint, Region = "us-east-1" };
        return change is null ? config : change(config);
    }

    public IngestFunction Function(IngestConfig? config = null) =>
        new(config ?? Config(), S3ClientFactory.Create(config ?? Config(), MotoServer.Credentials),
            new IngestLog(SharedLog, LogLevel.Debug, TimeProvider.System), ownsClient: true);

    public async Task<PutObjectResponse> PutAsync(string key, byte[] body) =>
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(body), ContentType = "text/csv" });

    /// <summary>Lands a file: the version S3 gave it and the event S3 would send for it.</summary>
    public async Task<(PutObjectResponse Landed, string Event)> LandVersionAsync(string key, byte[] body, bool withVersionId = true)
    {
        var put = await PutAsync(key, body);
        return (put, EventJson.S3Event(Bucket, key, put.ETag, withVersionId ? put.VersionId : null, body.Length));
    }

    /// <summary>Lands a file and returns the event S3 would send for it.</summary>
    public async Task<string> LandAsync(string key, byte[] body, bool withVersionId = true, bool quoteETag = false, bool slashAsPercent = false)
    {
        var put = await PutAsync(key, body);
        return EventJson.S3Event(Bucket, key, put.ETag, withVersionId ? put.VersionId : null, body.Length, quoteETag: quoteETag, slashAsPercent: slashAsPercent);
    }

    public async Task<IngestResult> InvokeAsync(string eventJson, IngestConfig? config = null, ILambdaContext? context = null)
    {
        using var function = Function(config);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));
        await using var output = await function.HandleAsync(input, context ?? new LocalLambdaContext(TimeSpan.FromMinutes(5)));
        return JsonSerializer.Deserialize(output, IngestResultJsonContext.Default.IngestResult)!;
    }

    public async Task<RecordResult> InvokeOneAsync(string eventJson, IngestConfig? config = null)
    {
        var result = await InvokeAsync(eventJson, config);
        return Assert.Single(result.Records);
    }

    public async Task<byte[]> GetBytesAsync(string key, string? versionId = null)
    {
        using var response = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, VersionId = versionId });
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async Task<JsonDocument> GetJsonAsync(string key) => JsonDocument.Parse(await GetBytesAsync(key));

    public Task<GetObjectMetadataResponse> HeadAsync(string key) =>
        S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key });

    /// <summary>Versions (delete markers excluded) stored under exactly this key.</summary>
    public async Task<int> CountVersionsAsync(string key)
    {
        var response = await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, Prefix = key });
        return (response.Versions ?? []).Count(v => v.Key == key && v.IsDeleteMarker != true);
    }

    public async Task<List<string>> ListKeysAsync(string prefix = "")
    {
        var response = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix });
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Base64 of the big-endian CRC64NVME, as S3 prints it (the Core tests check this against published vectors).</summary>
    public static string Crc64Nvme(byte[] bytes)
    {
        var crc = new System.IO.Hashing.Crc64(System.IO.Hashing.Crc64ParameterSet.Nvme);
        crc.Append(bytes);
        var value = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(value, crc.GetCurrentHashAsUInt64());
        return Convert.ToBase64String(value);
    }

    public void Dispose() => S3.Dispose();
}
