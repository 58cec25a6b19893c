using System.Text;
using System.Text.Json;
using IngestLambda.Core.Reports;
using IngestLambda.Host.Runtime;
using IngestLambda.Observability;
using IngestLambda.Pipeline;

namespace IngestLambda.Tests.Runtime;

/// <summary>Errors go to the Runtime API as Amazon.Lambda.RuntimeSupport sends them (issue #11 item 8).</summary>
[Collection(LambdaBootstrapTests.TraceIdCollection)] // the trace id lives in the process environment
public sealed class ErrorReportTests
{
    private static readonly LambdaEnvironment Environment = new("IngestFunction", "$LATEST", 128, "/aws/lambda/IngestFunction", "local");

    private static async Task<(RecordedRequest Error, string Log)> FailOnceAsync(Func<Exception> exception, string? traceId = null)
    {
        await using var api = FakeRuntimeApi.Start();
        api.Enqueue(FakeInvocation.Create("{}", traceId: traceId));
        using var http = RuntimeApiClient.CreateHttpClient();
        using var client = new RuntimeApiClient(http, new Uri($"http://{api.Address}/2018-06-01/"), Environment);
        var log = new StringWriter();
        try
        {
            await new LambdaBootstrap(client, (_, _) => throw exception(), new JsonLog(log, LogSettings.Default)).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(LambdaBootstrap.TraceIdVariable, null);
        }
        return (Assert.Single(api.RequestsTo("/error")), log.ToString());
    }

    private static Exception Thrown(Func<Exception> make)
    {
        try
        {
            throw make();
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public async Task The_body_has_RuntimeSupports_content_type_and_inner_exceptions_as_causes()
    {
        var (error, _) = await FailOnceAsync(() => new InvalidOperationException("outer", Thrown(() => new IOException("disk gone", new TimeoutException("slow")))));

        Assert.Equal("application/vnd.aws.lambda.error+json", error.Header("Content-Type"));
        Assert.Equal("InvalidOperationException", error.Header(RuntimeApiClient.ErrorTypeHeader));
        var body = JsonDocument.Parse(error.Body).RootElement;
        Assert.Equal("outer", body.GetProperty("errorMessage").GetString());
        var cause = body.GetProperty("cause");
        Assert.Equal("IOException", cause.GetProperty("errorType").GetString());
        Assert.Equal("disk gone", cause.GetProperty("errorMessage").GetString());
        Assert.NotEqual(0, cause.GetProperty("stackTrace").GetArrayLength()); // it was thrown, so it has frames
        Assert.Equal("TimeoutException", cause.GetProperty("cause").GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task An_aggregate_sends_each_inner_exception_once_as_causes()
    {
        var (error, _) = await FailOnceAsync(() => new AggregateException("two failed", new IOException("a"), new TimeoutException("b")));

        var body = JsonDocument.Parse(error.Body).RootElement;
        Assert.Equal(["IOException", "TimeoutException"], body.GetProperty("causes").EnumerateArray().Select(c => c.GetProperty("errorType").GetString()));
        Assert.False(body.TryGetProperty("cause", out _));
    }

    [Fact]
    public async Task The_body_is_capped_at_256_KB_and_stays_a_valid_error()
    {
        var huge = new string('x', 600 * 1024) + "ação";
        var (error, log) = await FailOnceAsync(() => new AggregateException(Enumerable.Range(0, 50).Select(i => new IOException($"{i}: {huge[..(20 * 1024)]}"))));
        var (single, _) = await FailOnceAsync(() => new InvalidDataException(huge));

        foreach (var request in new[] { error, single })
        {
            Assert.InRange(Encoding.UTF8.GetByteCount(request.Body), 1, ErrorReport.MaxBodyBytes);
            var body = JsonDocument.Parse(request.Body).RootElement;
            Assert.Equal(request.Header(RuntimeApiClient.ErrorTypeHeader), body.GetProperty("errorType").GetString());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("errorMessage").GetString()));
        }
        // The log line carries the same error, on one line.
        Assert.Single(log.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("\"errorType\":\"AggregateException\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_XRay_error_cause_header_is_sent_when_tracing_is_on_and_only_then()
    {
        const string trace = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
        var (traced, _) = await FailOnceAsync(() => Thrown(() => new IOException("S3 unreachable: ação")), trace);
        var (untraced, _) = await FailOnceAsync(() => new IOException("S3 unreachable"));

        Assert.Null(untraced.Header(ErrorReport.XRayCauseHeader));
        var header = traced.Header(ErrorReport.XRayCauseHeader);
        Assert.NotNull(header);
        Assert.All(header, c => Assert.InRange(c, ' ', '~')); // one line of ASCII
        var cause = JsonDocument.Parse(header).RootElement;
        Assert.Equal(Directory.GetCurrentDirectory(), cause.GetProperty("working_directory").GetString());
        var exception = Assert.Single(cause.GetProperty("exceptions").EnumerateArray());
        Assert.Equal("IOException", exception.GetProperty("type").GetString());
        Assert.Equal("S3 unreachable: ação", exception.GetProperty("message").GetString());
        Assert.NotEqual(0, exception.GetProperty("stack").GetArrayLength());
        Assert.All(exception.GetProperty("stack").EnumerateArray(), frame => Assert.False(string.IsNullOrEmpty(frame.GetProperty("label").GetString())));
        Assert.Equal(JsonValueKind.Array, cause.GetProperty("paths").ValueKind);
    }

    [Fact]
    public void The_aggregate_failure_message_names_each_failed_record_once_and_is_capped()
    {
        var failed = Enumerable.Range(0, 2000).Select(i => new RecordResult
        {
            Bucket = "lake", Key = $"landing/file-{i:D4}.csv", Outcome = Outcomes.Failed, Message = $"AmazonS3Exception: Access Denied {new string('!', 500)}",
        }).ToList();
        var records = failed.Concat([failed[0], failed[1], new RecordResult { Bucket = "lake", Key = "landing/ok.csv", Outcome = Outcomes.Accepted }]).ToList();
        var exception = new IngestFailedException(new IngestResult { Records = records }, [.. records.Where(r => r.Outcome == Outcomes.Failed).Select(r => new IOException(r.Message))]);

        Assert.InRange(exception.Message.Length, 100, IngestFailedException.MaxMessageChars);
        Assert.StartsWith("2002 of 2003 record(s) failed", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, Count(exception.Message, "s3://lake/landing/file-0000.csv"));
        Assert.Equal(1, Count(exception.Message, "s3://lake/landing/file-0001.csv"));
        Assert.DoesNotContain("landing/ok.csv", exception.Message, StringComparison.Ordinal);
        Assert.Contains("more (each has a log line with outcome failed)", exception.Message, StringComparison.Ordinal);

        var small = new IngestFailedException(new IngestResult { Records = [failed[0], failed[0]] }, [new IOException("x"), new IOException("x")]);
        Assert.Equal(1, Count(small.Message, "file-0000.csv"));
        Assert.DoesNotContain("more", small.Message, StringComparison.Ordinal);
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
