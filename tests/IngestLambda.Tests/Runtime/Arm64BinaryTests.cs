using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using IngestLambda.Core.Reports;
using IngestLambda.Pipeline;
using IngestLambda.Tests.EndToEnd;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Ingestion;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.Runtime;

/// <summary>
/// The linux-arm64 binary (`make publish ARCH=arm64`, which `make test` runs) as Lambda's Graviton runs it, under
/// qemu-aarch64 (<see cref="Qemu"/>): its reports equal the x64 binary's byte for byte but for the timings, and it files
/// a sample and a gzip sample into a moto lake. qemu's speed says nothing about Graviton's: nothing here is timed.
/// </summary>
[Collection(NativePublishGroup.Name)] // publishes when stale, like the other published-binary tests
public sealed partial class Arm64BinaryTests(Arm64BinaryTests.Arm64Function arm64, MotoServer moto)
    : IClassFixture<Arm64BinaryTests.Arm64Function>, IClassFixture<MotoServer>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The arm64 binary, published when missing or stale, and the corpus both binaries validate.</summary>
    public sealed class Arm64Function : IAsyncLifetime
    {
        public static string Bootstrap => RepoPaths.PublishedArm64Bootstrap;

        public string Corpus { get; } = Directory.CreateTempSubdirectory("ingestlambda-arm64-").FullName;

        public async Task InitializeAsync()
        {
            Qemu.Aarch64(); // fails first, and loudly, when qemu or the arm64 libraries are missing
            Arm64Corpus.WriteTo(Corpus);
            await PublishedFunction.PublishWhenStaleAsync(Bootstrap, "publish", "ARCH=arm64");
        }

        public Task DisposeAsync()
        {
            Directory.Delete(Corpus, recursive: true);
            return Task.CompletedTask;
        }
    }

    public static TheoryData<string, string, string> Corpus => Arm64Corpus.Expectations;

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Validate_json_on_arm64_equals_x64_but_for_timings(string file, string outcome, string codes)
    {
        var path = Path.Combine(arm64.Corpus, file);
        string[] arguments = ["validate", path, "--json"];

        var x64 = await ProcessRunner.RunAsync(PublishedFunction.Bootstrap, arguments, arm64.Corpus, RunTimeout);
        var arm = await Qemu.RunAsync(Arm64Function.Bootstrap, arguments, RunTimeout);

        // The x64 report is what the file must give, so two equally wrong binaries cannot pass.
        using (var report = JsonDocument.Parse(x64.StdOut))
        {
            Assert.Equal(outcome, report.RootElement.GetProperty("outcome").GetString());
            var found = report.RootElement.GetProperty("validation").GetProperty("errors").EnumerateArray()
                .Select(e => e.GetProperty("code").GetString()).ToHashSet();
            Assert.All(codes.Split(' ', StringSplitOptions.RemoveEmptyEntries), code => Assert.Contains(code, found));
        }
        Assert.True(arm.ExitCode == x64.ExitCode, $"arm64 exit {arm.ExitCode}, x64 exit {x64.ExitCode}\n{arm}");
        Assert.Equal(x64.StdErr, arm.StdErr);
        Assert.Equal(WithoutTimings(x64.StdOut), WithoutTimings(arm.StdOut));
    }

    [Fact]
    public async Task Invoke_on_arm64_files_a_sample_and_a_gzip_sample_into_the_lake()
    {
        using var lake = await TestLake.CreateAsync(moto);
        var movies = TestFiles.Movies;
        var gzipped = await File.ReadAllBytesAsync(Path.Combine(arm64.Corpus, "series.csv.gz"));
        var eventFile = Path.Combine(arm64.Corpus, $"event-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(eventFile, EventJson.Combined(
            await lake.LandAsync("landing/movies.csv", movies),
            await lake.LandAsync("landing/series.csv.gz", gzipped)));

        var run = await Qemu.RunAsync(Arm64Function.Bootstrap, ["invoke", "--event", eventFile], RunTimeout, new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = moto.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_S3"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_LAMBDA_RUNTIME_API"] = null,
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["AWS_REGION"] = "us-east-1",
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        var records = JsonSerializer.Deserialize(run.StdOut, IngestResultJsonContext.Default.IngestResult)!.Records;
        Assert.Equal([Outcomes.Accepted, Outcomes.Accepted], records.Select(r => r.Outcome));
        Assert.Equal(
            [$"Raw/Local/CSV/Movies/{TestLake.DatePath}/movies.csv", $"Raw/Local/CSV/Series/{TestLake.DatePath}/series.csv.gz"],
            records.Select(r => r.DestinationKey));
        Assert.Equal(SHA256.HashData(movies), SHA256.HashData(await lake.GetBytesAsync(records[0].DestinationKey!)));
        Assert.Equal(SHA256.HashData(gzipped), SHA256.HashData(await lake.GetBytesAsync(records[1].DestinationKey!)));
        Assert.Equal(2, (await lake.ListKeysAsync("manifests/")).Count);
    }

    [Fact]
    public async Task The_binary_asks_for_Graviton2s_instruction_set_and_refuses_an_older_arm64_core()
    {
        var graviton2 = await Qemu.RunAsync(Arm64Function.Bootstrap, ["--version"], RunTimeout);
        Assert.True(graviton2.ExitCode == 0, graviton2.ToString());
        Assert.StartsWith("bootstrap ", graviton2.StdOut, StringComparison.Ordinal);

        // Cortex-A53 is armv8.0-a without LSE atomics: IlcInstructionSet armv8.2-a makes the binary stop at start.
        var armv80 = await Qemu.RunAsync(Arm64Function.Bootstrap, ["--version"], RunTimeout, cpu: "cortex-a53");
        Assert.NotEqual(0, armv80.ExitCode);
        Assert.Contains("instruction sets are not supported", armv80.StdErr, StringComparison.Ordinal);
    }

    /// <summary>The report with its two timings (processedAt, durationMs) blanked; everything else stays byte for byte.</summary>
    private static string WithoutTimings(string report) =>
        DurationMs().Replace(ProcessedAt().Replace(report, "\"processedAt\": \"-\""), "\"durationMs\": -");

    [GeneratedRegex("\"processedAt\": \"[^\"]*\"")]
    private static partial Regex ProcessedAt();

    [GeneratedRegex("\"durationMs\": [0-9]+")]
    private static partial Regex DurationMs();
}
