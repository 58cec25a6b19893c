using System.Diagnostics;
using System.Text.Json;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.Runtime;

/// <summary>
/// The published Native AOT binary (artifacts/function/bootstrap, written by `make publish`, which `make test` runs
/// first) as a child process driven by the fake Runtime API. The fake answers /next with 500 once its queue is
/// drained, so every run ends on its own; that also checks that a 500 ends the process.
/// </summary>
[Collection(NativePublishGroup.Name)] // the collection republishes a stale bootstrap; running beside it would race that
[Trait("Category", "Integration")]
public sealed class PublishedBootstrapTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private sealed record Run(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed);

    private static string Bootstrap
    {
        get
        {
            var path = RepoPaths.PublishedBootstrap;
            if (!File.Exists(path))
                Assert.Fail($"{path} is missing: run `make publish` (make test does) before these tests.");
            return path;
        }
    }

    private static string Event(string file) => File.ReadAllText(RepoPaths.Events(file));

    private static async Task<Run> RunBootstrapAsync(FakeRuntimeApi api, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Bootstrap)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Only what Lambda would set, plus an S3 endpoint nothing listens on: no test reaches a real AWS.
        var settings = new Dictionary<string, string> { ["AWS_MAX_ATTEMPTS"] = "1" }; // S3 is unreachable: fail fast
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            settings[name] = value;
        LambdaProcessEnvironment.Apply(start, api.Address, "http://127.0.0.1:1", settings);

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"bootstrap did not exit within {RunTimeout}; stderr:\n{await stderr}");
        }
        return new Run(process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }

    private static void AssertEndedByTheDrained500(Run run, FakeRuntimeApi api)
    {
        Assert.True(run.ExitCode != 0, $"expected a non-zero exit after the 500 from /next; stderr:\n{run.StdErr}");
        Assert.Empty(api.RequestsTo("/init/error"));
    }

    /// <summary>
    /// One invocation of the sample event <paramref name="file"/> through the bootstrap: the one answer it posted to
    /// <paramref name="answer"/> (<c>/response</c> or <c>/error</c>, on this invocation's path), having posted no other
    /// answer and ended on the drained queue's 500.
    /// </summary>
    private static async Task<RecordedRequest> AnswerToOneInvocationAsync(string file, string answer)
    {
        await using var api = FakeRuntimeApi.Start();
        var invocation = FakeInvocation.Create(Event(file));
        api.Enqueue(invocation);

        var run = await RunBootstrapAsync(api);

        var other = answer == "/response" ? "/error" : "/response";
        var unexpected = api.RequestsTo(other);
        Assert.True(unexpected.Count == 0, $"unexpected {other} POST: {string.Join("\n", unexpected.Select(e => e.Body))}\nstderr:\n{run.StdErr}");
        var posted = Assert.Single(api.RequestsTo(answer));
        Assert.Equal($"/2018-06-01/runtime/invocation/{invocation.RequestId}{answer}", posted.Path);
        AssertEndedByTheDrained500(run, api);
        return posted;
    }

    [Fact]
    public async Task An_s3_test_event_in_gives_a_skipped_response_out()
    {
        var response = await AnswerToOneInvocationAsync("s3-test-event.json", "/response");

        // The result JSON (Ingestion/IngestResult.cs): one entry per record, the test event is skipped.
        using var result = JsonDocument.Parse(response.Body);
        var record = Assert.Single(result.RootElement.GetProperty("records").EnumerateArray());
        Assert.Equal("skipped", record.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_handler_failure_posts_the_error_body_and_header()
    {
        var error = await AnswerToOneInvocationAsync("s3-put.json", "/error"); // S3 at 127.0.0.1:1 is unreachable

        var errorType = error.Header("Lambda-Runtime-Function-Error-Type");
        Assert.False(string.IsNullOrEmpty(errorType));
        using var body = JsonDocument.Parse(error.Body);
        Assert.Equal(errorType, body.RootElement.GetProperty("errorType").GetString());
        // IngestFunction's contract: S3 failures surface as IngestFailedException (Lambda then retries).
        Assert.Equal("IngestFailedException", errorType);
        Assert.Contains("landing/movies.csv", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, body.RootElement.GetProperty("stackTrace").ValueKind);
    }

    [Fact]
    public async Task A_bad_setting_posts_an_init_error_naming_it_and_exits_non_zero()
    {
        await using var api = FakeRuntimeApi.Start();
        api.Enqueue(FakeInvocation.Create(Event("s3-test-event.json")));

        var run = await RunBootstrapAsync(api, new Dictionary<string, string> { ["MAX_LINE_BYTES"] = "abc" });

        Assert.NotEqual(0, run.ExitCode);
        var initError = Assert.Single(api.RequestsTo("/init/error"));
        Assert.Equal("/2018-06-01/runtime/init/error", initError.Path);
        Assert.Equal("ConfigurationException", initError.Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(initError.Body);
        Assert.Equal("ConfigurationException", body.RootElement.GetProperty("errorType").GetString());
        Assert.Contains("MAX_LINE_BYTES", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Empty(api.RequestsTo("/next")); // init failed: no invocation is taken
    }

    [Fact]
    public async Task A_bad_contract_posts_an_init_error_naming_its_file_field_and_problem()
    {
        using var contracts = new TempContracts();
        var series = Path.Combine(contracts.Path, "series.json");
        File.WriteAllText(series, File.ReadAllText(series).Replace("\"type\": \"year\"", "\"type\": \"yaer\"", StringComparison.Ordinal));
        await using var api = FakeRuntimeApi.Start();
        api.Enqueue(FakeInvocation.Create(Event("s3-test-event.json")));

        var run = await RunBootstrapAsync(api, new Dictionary<string, string> { ["CONTRACTS_DIR"] = contracts.Path });

        Assert.NotEqual(0, run.ExitCode);
        var initError = Assert.Single(api.RequestsTo("/init/error"));
        Assert.Equal("ConfigurationException", initError.Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(initError.Body);
        Assert.Contains($"{series}: schema.fields[3] (anoLancamento).type: 'yaer'", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Empty(api.RequestsTo("/next"));
    }

    [Fact]
    public async Task Several_invocations_are_served_by_one_process_and_a_failure_does_not_end_it()
    {
        await using var api = FakeRuntimeApi.Start();
        var first = FakeInvocation.Create(Event("s3-test-event.json"));
        var failing = FakeInvocation.Create(Event("s3-put.json"));
        var third = FakeInvocation.Create(Event("s3-test-event.json"));
        api.Enqueue(first, failing, third);

        var run = await RunBootstrapAsync(api);

        Assert.Equal(4, api.RequestsTo("/next").Count); // three invocations, then the 500 that ends it
        Assert.Equal(
            [$"/2018-06-01/runtime/invocation/{first.RequestId}/response", $"/2018-06-01/runtime/invocation/{third.RequestId}/response"],
            api.RequestsTo("/response").Select(r => r.Path));
        var error = Assert.Single(api.RequestsTo("/error"));
        Assert.Equal($"/2018-06-01/runtime/invocation/{failing.RequestId}/error", error.Path);
        Assert.Equal("IngestFailedException", error.Header("Lambda-Runtime-Function-Error-Type")); // a direct S3 event whose S3 failed
        AssertEndedByTheDrained500(run, api);
    }

    [Fact]
    public async Task An_SQS_batch_whose_record_failed_succeeds_and_names_the_message_in_batchItemFailures()
    {
        var response = await AnswerToOneInvocationAsync("sqs-s3-put.json", "/response"); // S3 at 127.0.0.1:1 is unreachable

        using var result = JsonDocument.Parse(response.Body);
        var failure = Assert.Single(result.RootElement.GetProperty("batchItemFailures").EnumerateArray());
        Assert.Equal("059f36b4-87a3-44ab-83d2-661975830a7d", failure.GetProperty("itemIdentifier").GetString());
        Assert.Equal("failed", Assert.Single(result.RootElement.GetProperty("records").EnumerateArray()).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_500_from_the_runtime_api_ends_the_process_promptly()
    {
        await using var api = FakeRuntimeApi.Start(); // nothing queued: the first /next answers 500

        var run = await RunBootstrapAsync(api);

        Assert.Single(api.RequestsTo("/next"));
        AssertEndedByTheDrained500(run, api);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(10), $"took {run.Elapsed}");
    }
}
