using System.Text.Json;
using IngestLambda.Core.Reports;
using IngestLambda.Pipeline;
using IngestLambda.Tests.Cli;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Ingestion;

/// <summary>
/// <c>bootstrap invoke</c> as a user runs it: a child process (<see cref="CommandProcess"/>).
/// </summary>
public sealed class InvokeCommandTests(MotoServer moto) : LakeTests(moto)
{
    [Fact]
    public async Task Invoke_prints_the_result_JSON_and_exits_0()
    {
        using var lake = await NewLakeAsync();
        var eventFile = await WriteEventAsync(await lake.LandAsync("landing/movies.csv", TestFiles.Movies));

        var run = await RunAsync(["invoke", "--event", eventFile], Env());

        Assert.True(run.ExitCode == 0, run.Stderr);
        var record = Assert.Single(JsonSerializer.Deserialize(run.Stdout, IngestResultJsonContext.Default.IngestResult)!.Records);
        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal($"Raw/Local/CSV/Movies/{TestLake.DatePath}/movies.csv", record.DestinationKey);
        // Logs go to stderr, one JSON object per line; stdout holds only the result.
        Assert.Contains("\"outcome\":\"accepted\"", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_reads_the_event_from_stdin()
    {
        using var lake = await NewLakeAsync();
        var eventJson = EventJson.TestEvent(lake.Bucket);

        var run = await RunAsync(["invoke", "--event", "-"], Env(), stdin: eventJson);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(Outcomes.Skipped, Assert.Single(JsonSerializer.Deserialize(run.Stdout, IngestResultJsonContext.Default.IngestResult)!.Records).Outcome);
    }

    [Fact]
    public async Task A_failed_handler_exits_1_and_still_prints_what_happened()
    {
        var eventFile = await WriteEventAsync(EventJson.S3Event("ingest-absent-" + Guid.NewGuid().ToString("N")[..10], "landing/x.csv", "abc", null, 3));

        var run = await RunAsync(["invoke", "--event", eventFile], Env());

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(Outcomes.Failed, Assert.Single(JsonSerializer.Deserialize(run.Stdout, IngestResultJsonContext.Default.IngestResult)!.Records).Outcome);
        Assert.Contains("the handler failed", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[] { "invoke" }, "--event is required")]
    [InlineData(new string[] { "invoke", "--event" }, "unexpected argument")]
    [InlineData(new string[] { "invoke", "--event", "/nonexistent/event.json" }, "cannot read the event")]
    [InlineData(new string[] { "invoke", "--event", "x.json", "--bogus" }, "unexpected argument")]
    public async Task Usage_and_IO_errors_exit_2_with_a_message(string[] args, string message)
    {
        var run = await RunAsync(args, Env());
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_path_that_is_a_directory_exits_2_saying_so()
    {
        var directory = Path.GetTempPath();
        var run = await RunAsync(["invoke", "--event", directory], Env());
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"'{directory}' is a directory", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("denied", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>invoke, backfill and replay load the function the same way (Cli/OperatorRun.cs): a bad setting is exit 2, before any S3 or SQS call.</summary>
    [Theory]
    [InlineData("invoke")]
    [InlineData("backfill")]
    [InlineData("replay")]
    public async Task A_bad_setting_exits_2_naming_the_variable(string command)
    {
        string[] args = command switch
        {
            "invoke" => ["invoke", "--event", await WriteEventAsync(EventJson.TestEvent("lake"))],
            "backfill" => ["backfill", "s3://lake/landing/"],
            _ => ["replay", "--queue-url", "http://127.0.0.1:1/000000000000/ingest-failed"],
        };
        var env = Env();
        env["MAX_LINE_BYTES"] = "big";

        var run = await RunAsync(args, env);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{command}: configuration error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("MAX_LINE_BYTES", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payload_that_is_no_event_is_answered_skipped_as_the_function_would()
    {
        var run = await RunAsync(["invoke", "--event", await WriteEventAsync("{\"hello\":\"world\"}")], Env());
        Assert.Equal(0, run.ExitCode);
        var record = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("records").EnumerateArray());
        Assert.Equal("skipped", record.GetProperty("outcome").GetString());
        Assert.Contains("not an S3 event", record.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private Dictionary<string, string> Env() => CommandProcess.Endpoint(Moto.Endpoint);

    private static async Task<string> WriteEventAsync(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ingest-event-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }

    private static Task<CommandProcess.Result> RunAsync(string[] args, Dictionary<string, string> env, string? stdin = null) =>
        CommandProcess.BootstrapAsync(args, env, stdin);
}
