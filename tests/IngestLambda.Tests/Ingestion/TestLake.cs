using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Cli;
using IngestLambda.Ingestion;
using IngestLambda.Observability;
using IngestLambda.Runtime;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Ingestion;

/// <summary>One uniquely named bucket on the test S3 endpoint, with helpers to land files, invoke the function and inspect the lake.</summary>
internal sealed class TestLake : IDisposable
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
            new IngestLog(TextWriter.Synchronized(Log), LogLevel.Debug, TimeProvider.System), ownsClient: true);

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

    public void Dispose() => S3.Dispose();
}

/// <summary>Events shaped like the ones S3 (and moto) send.</summary>
internal static class EventJson
{
    /// <summary>The sequencer of events that do not name their own: every such event looks alike in order.</summary>
    public const string DefaultSequencer = "0055AED6DCD90281E5";

    public static string S3Event(string bucket, string key, string? eTag, string? versionId, long size,
        string eventTime = TestLake.EventTime, string eventName = "ObjectCreated:Put", bool quoteETag = false, bool slashAsPercent = false,
        string? sequencer = DefaultSequencer) =>
        new JsonObject { ["Records"] = new JsonArray(Record(bucket, key, eTag, versionId, size, eventTime, eventName, quoteETag, slashAsPercent, sequencer)) }.ToJsonString();

    public static JsonObject Record(string bucket, string key, string? eTag, string? versionId, long size,
        string eventTime = TestLake.EventTime, string eventName = "ObjectCreated:Put", bool quoteETag = false, bool slashAsPercent = false,
        string? sequencer = DefaultSequencer)
    {
        var unquoted = eTag?.Trim('"');
        var obj = new JsonObject
        {
            ["key"] = Encode(key, slashAsPercent),
            ["size"] = size,
            ["eTag"] = unquoted is null ? null : quoteETag ? $"\"{unquoted}\"" : unquoted,
        };
        if (sequencer is not null)
            obj["sequencer"] = sequencer;
        if (versionId is not null)
            obj["versionId"] = versionId;
        return new JsonObject
        {
            ["eventVersion"] = "2.1",
            ["eventSource"] = "aws:s3",
            ["awsRegion"] = "us-east-1",
            ["eventTime"] = eventTime,
            ["eventName"] = eventName,
            ["userIdentity"] = new JsonObject { ["principalId"] = "AWS:AIDAEXAMPLE" },
            ["requestParameters"] = new JsonObject { ["sourceIPAddress"] = "127.0.0.1" },
            ["responseElements"] = new JsonObject { ["x-amz-request-id"] = "C3D13FE58DE4C810", ["x-amz-id-2"] = "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD" },
            ["s3"] = new JsonObject
            {
                ["s3SchemaVersion"] = "1.0",
                ["configurationId"] = "ingest",
                ["bucket"] = new JsonObject { ["name"] = bucket, ["ownerIdentity"] = new JsonObject { ["principalId"] = "A3NL1KOZZKExample" }, ["arn"] = $"arn:aws:s3:::{bucket}" },
                ["object"] = obj,
            },
        };
    }

    /// <summary>One event holding the single record of each S3 event given, in order.</summary>
    public static string Combined(params string[] s3Events) =>
        new JsonObject { ["Records"] = new JsonArray([.. s3Events.Select(e => JsonNode.Parse(e)!["Records"]![0]!.DeepClone())]) }.ToJsonString();

    public static string SqsEvent(params string[] bodies)
    {
        var records = new JsonArray();
        for (var i = 0; i < bodies.Length; i++)
        {
            records.Add(new JsonObject
            {
                ["messageId"] = $"msg-{i}",
                ["receiptHandle"] = "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
                ["body"] = bodies[i],
                ["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = "1", ["SentTimestamp"] = "1545082649183" },
                ["messageAttributes"] = new JsonObject(),
                ["md5OfBody"] = "e4e68fb7bd0e697a0ae8f1bb342846b3",
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = "arn:aws:sqs:us-east-1:123456789012:ingest",
                ["awsRegion"] = "us-east-1",
            });
        }
        return new JsonObject { ["Records"] = records }.ToJsonString();
    }

    public static string TestEvent(string bucket) =>
        new JsonObject
        {
            ["Service"] = "Amazon S3", ["Event"] = "s3:TestEvent", ["Time"] = "2026-11-26T10:00:00.000Z",
            ["Bucket"] = bucket, ["RequestId"] = "5582815E1AEA5ADF", ["HostId"] = "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE",
        }.ToJsonString();

    /// <summary>S3's key encoding: form-URL (space as '+', UTF-8 bytes as %XX), '/' kept unless imitating moto.</summary>
    public static string Encode(string key, bool slashAsPercent = false)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '*' || (c == '/' && !slashAsPercent))
                builder.Append(c);
            else if (c == ' ')
                builder.Append('+');
            else
                builder.Append('%').Append(b.ToString("X2"));
        }
        return builder.ToString();
    }
}

/// <summary>The sample files and small hand-made variants.</summary>
internal static class TestFiles
{
    public static byte[] Movies { get; } = File.ReadAllBytes(RepoPaths.Samples("movies.csv"));
    public static byte[] Series { get; } = File.ReadAllBytes(RepoPaths.Samples("series.csv"));

    /// <summary>The movies header and one row whose notaMedia uses a decimal comma (line 2, column notaMedia).</summary>
    public static byte[] BadMovies { get; } = MakeBadMovies();

    /// <summary>About 11 MiB of valid movies rows: three 5 MiB parts in a multipart copy.</summary>
    public static byte[] LargeMovies { get; } = Repeat(Movies, 11 * 1024 * 1024);

    private static byte[] MakeBadMovies()
    {
        var lines = Encoding.UTF8.GetString(Movies).Split('\n');
        var fields = lines[1].Split('|');
        fields[6] = "7,5";
        return Encoding.UTF8.GetBytes($"{lines[0]}\n{string.Join('|', fields)}\n");
    }

    private static byte[] Repeat(byte[] csv, int atLeastBytes)
    {
        var text = Encoding.UTF8.GetString(csv);
        var header = text[..(text.IndexOf('\n') + 1)];
        var rows = text[header.Length..];
        if (!rows.EndsWith('\n'))
            rows += "\n";
        var builder = new StringBuilder(header);
        while (builder.Length < atLeastBytes)
            builder.Append(rows);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
