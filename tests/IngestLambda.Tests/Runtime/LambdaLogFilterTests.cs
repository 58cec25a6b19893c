using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.Runtime;

/// <summary>
/// Issue #11 item 3: the published binary's output, as Lambda's application log-level filter treats it
/// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html): a line is kept when its
/// level is at least the function's ApplicationLogLevel; a line that is not a JSON object, or whose <c>level</c> is
/// missing or invalid, or whose <c>timestamp</c> is not RFC 3339, counts as INFO. For every LogLevel the template
/// allows, the deployment's settings (LOG_LEVEL and ApplicationLogLevel, evaluated from template.yaml) must let the
/// metrics and every error through.
/// </summary>
[Collection(NativePublishGroup.Name)] // runs the published bootstrap, which this collection keeps fresh
[Trait("Category", "Integration")]
public sealed partial class LambdaLogFilterTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly CfnTemplate Template = CfnTemplate.Load(Path.Combine(RepoPaths.Root, "template.yaml"));
    private static readonly string[] Levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

    public static TheoryData<string> TemplateLogLevels =>
        [.. CfnTemplate.List(CfnTemplate.Map(Template.Parameters["LogLevel"])["AllowedValues"]).Select(v => (string)v!)];

    [Theory]
    [MemberData(nameof(TemplateLogLevels))]
    public async Task Metrics_and_errors_survive_Lambdas_filter_at_every_level_the_template_allows(string logLevel)
    {
        var evaluator = new CfnEvaluator(Template, new Dictionary<string, string> { ["LogLevel"] = logLevel });
        var function = Template.Properties("IngestFunction");
        var variables = CfnTemplate.Map(CfnTemplate.Map(function["Environment"])["Variables"]);
        var applicationLogLevel = evaluator.String(CfnTemplate.Map(function["LoggingConfig"])["ApplicationLogLevel"]);

        var lines = await RunAsync(new Dictionary<string, string>
        {
            ["LOG_LEVEL"] = evaluator.String(variables["LOG_LEVEL"]),
            ["AWS_LAMBDA_LOG_LEVEL"] = applicationLogLevel, // Lambda sets it from ApplicationLogLevel
        });

        AssertMetricsAndErrorsSurvive(lines, applicationLogLevel);
    }

    [Fact]
    public async Task An_operator_who_raises_the_level_in_Lambda_still_gets_the_metrics_and_the_errors()
    {
        // The function's log level changed in the console or API to ERROR, while LOG_LEVEL still says DEBUG.
        var lines = await RunAsync(new Dictionary<string, string> { ["LOG_LEVEL"] = "DEBUG", ["AWS_LAMBDA_LOG_LEVEL"] = "ERROR" });

        AssertMetricsAndErrorsSurvive(lines, "ERROR");
        Assert.DoesNotContain(KeptAt(lines, "ERROR"), l => l.TryGetProperty("outcome", out var o) && o.GetString() == "accepted");
    }

    [Fact]
    public async Task An_init_error_is_one_json_line_with_its_exception_that_survives_ERROR()
    {
        await using var api = FakeRuntimeApi.Start();
        var lines = await RunBootstrapAsync(api, new Dictionary<string, string> { ["MAX_LINE_BYTES"] = "abc", ["AWS_LAMBDA_LOG_LEVEL"] = "ERROR" });

        AssertEveryLineIsJsonWithTimestampAndLevel(lines);
        var error = Assert.Single(KeptAt(lines, "ERROR"), l => l.TryGetProperty("error", out _)).GetProperty("error");
        Assert.Equal("ConfigurationException", error.GetProperty("errorType").GetString());
        Assert.Contains("MAX_LINE_BYTES", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, error.GetProperty("stackTrace").GetArrayLength());
    }

    /// <summary>An accepted file, a rejected file and a record S3 fails on (its bucket does not exist), then the drained 500.</summary>
    private async Task<List<string>> RunAsync(Dictionary<string, string> environment)
    {
        using var lake = await TestLake.CreateAsync(moto);
        var accepted = await lake.LandAsync("landing/movies.csv", TestFiles.Movies);
        var rejected = await lake.LandAsync("landing/bad.csv", TestFiles.BadMovies);
        var failing = EventJson.S3Event("no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "landing/gone.csv", "abc", null, 10);
        await using var api = FakeRuntimeApi.Start();
        api.Enqueue(FakeInvocation.Create(accepted), FakeInvocation.Create(rejected), FakeInvocation.Create(failing));

        var lines = await RunBootstrapAsync(api, environment);

        Assert.Equal(2, api.RequestsTo("/response").Count);
        Assert.Single(api.RequestsTo("/error"));
        return lines;
    }

    private static void AssertMetricsAndErrorsSurvive(List<string> lines, string applicationLogLevel)
    {
        AssertEveryLineIsJsonWithTimestampAndLevel(lines);
        var kept = KeptAt(lines, applicationLogLevel);
        var explain = $"kept at {applicationLogLevel}:\n{string.Join('\n', kept)}\nall:\n{string.Join('\n', lines)}";

        // The metrics of both filed files (EMF: a line with _aws and the values at the top level).
        var metrics = kept.Where(l => l.TryGetProperty("_aws", out _)).ToList();
        Assert.True(metrics.Count == 2, explain);
        Assert.Equal(1, metrics.Sum(m => m.GetProperty("FilesAccepted").GetInt32()));
        Assert.Equal(1, metrics.Sum(m => m.GetProperty("FilesRejected").GetInt32()));
        Assert.Equal(2000, metrics.Single(m => m.GetProperty("FilesAccepted").GetInt32() == 1).GetProperty("Rows").GetInt64());

        // The failed record, the invocation's error with its exception on the same line, and the runtime's exit.
        Assert.Contains(kept, l => l.TryGetProperty("outcome", out var o) && o.GetString() == "failed");
        var invocationError = kept.Where(l => l.TryGetProperty("error", out var e) && e.GetProperty("errorType").GetString() == "IngestFailedException").ToList();
        Assert.True(invocationError.Count == 1, explain);
        var error = invocationError[0].GetProperty("error");
        Assert.Contains("landing/gone.csv", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, error.GetProperty("stackTrace").GetArrayLength());
        Assert.NotEmpty(error.GetProperty("causes").EnumerateArray());
        Assert.True(kept.Any(l => l.TryGetProperty("error", out var e) && e.GetProperty("errorMessage").GetString()!.Contains("500", StringComparison.Ordinal)), explain);
    }

    private static void AssertEveryLineIsJsonWithTimestampAndLevel(List<string> lines)
    {
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            Assert.True(LambdaLevel(line) is { Valid: true }, $"Lambda would count this line as INFO (no JSON object with a valid level and RFC 3339 timestamp):\n{line}");
        }
    }

    /// <summary>The lines Lambda's filter keeps at <paramref name="applicationLogLevel"/>, parsed.</summary>
    private static List<JsonElement> KeptAt(List<string> lines, string applicationLogLevel)
    {
        var minimum = Array.IndexOf(Levels, applicationLogLevel);
        Assert.True(minimum >= 0, applicationLogLevel);
        return [.. lines.Where(l => Array.IndexOf(Levels, LambdaLevel(l).Level) >= minimum).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    /// <summary>The level Lambda assigns a line, and whether the line itself supplied it.</summary>
    private static (string Level, bool Valid) LambdaLevel(string line)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException)
        {
            return ("INFO", false);
        }
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("level", out var level) || level.ValueKind != JsonValueKind.String
            || !Levels.Contains(level.GetString()!.ToUpperInvariant())
            || !root.TryGetProperty("timestamp", out var timestamp) || timestamp.ValueKind != JsonValueKind.String
            || !IsRfc3339(timestamp.GetString()!))
        {
            return ("INFO", false);
        }
        return (level.GetString()!.ToUpperInvariant(), true);
    }

    private static bool IsRfc3339(string text) =>
        Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    /// <summary>Runs the published bootstrap until the drained fake's 500 ends it; every line of stdout and stderr (Lambda captures both).</summary>
    private async Task<List<string>> RunBootstrapAsync(FakeRuntimeApi api, Dictionary<string, string> environment)
    {
        var bootstrap = RepoPaths.PublishedBootstrap;
        if (!File.Exists(bootstrap))
            Assert.Fail($"{bootstrap} is missing: run `make publish` (make test does) before these tests.");
        var start = new ProcessStartInfo(bootstrap) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        LambdaProcessEnvironment.Apply(start, api.Address, moto.Endpoint.ToString(),
            new Dictionary<string, string>(environment) { ["AWS_MAX_ATTEMPTS"] = "1", ["AWS_LAMBDA_LOG_FORMAT"] = "JSON" });

        var lines = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) lines.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"bootstrap did not exit within 90 s:\n{string.Join('\n', lines)}");
        }
        process.WaitForExit(); // drains the asynchronous readers
        Assert.NotEqual(0, process.ExitCode);
        return [.. lines];
    }
}
