using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.EndToEnd;

/// <summary>
/// `KEEP_RUNNING=1 make demo` as a newcomer meets it: scripts/demo.sh with the binaries the suite built
/// (DEMO_BUILD=0), its output redirected. The "try" block it prints must work pasted into a new shell with a clean
/// environment, and stopping the demo (SIGTERM, as Ctrl-C's twin) must end it with exit 0 and a final "stopped" line,
/// its logs kept under artifacts/demo/. The lake it prints places a file-level error as "file".
/// </summary>
[Collection(NativePublishGroup.Name)] // the demo runs the published bootstrap, which this collection keeps fresh
[Trait("Category", "Integration")]
public sealed partial class DemoScriptTests
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(4);
    private const string TryHeader = "Still running. Try it from another shell; paste these lines:";

    [Fact]
    public async Task The_printed_try_block_works_in_a_new_shell_and_stopping_the_kept_up_demo_exits_0()
    {
        using var demo = StartDemo();
        var lines = new ConcurrentQueue<string>();
        demo.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        demo.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        demo.BeginOutputReadLine();
        demo.BeginErrorReadLine();
        string Output() => string.Join('\n', lines);
        try
        {
            var clock = Stopwatch.StartNew();
            while (!lines.Any(line => line.StartsWith("The function's log:", StringComparison.Ordinal)))
            {
                Assert.False(demo.HasExited, $"the demo exited with {(demo.HasExited ? demo.ExitCode : 0)} before it was up:\n{Output()}");
                Assert.True(clock.Elapsed < UpTimeout, $"the demo was not up within {UpTimeout}:\n{Output()}");
                await Task.Delay(200);
            }

            // Pasted into a new shell: nothing of this process's environment but PATH and HOME.
            var block = TryBlock(lines.ToList());
            var pasted = await RunCleanAsync(string.Join('\n', block));
            Assert.True(pasted.ExitCode == 0, $"the pasted block failed:\n{string.Join('\n', block)}\n{pasted}");
            Assert.Contains("upload: ", pasted.StdOut, StringComparison.Ordinal);

            // The upload went through the whole chain: the function filed its raw copy.
            var endpoint = ExportedEndpoint().Match(block[0]).Groups[1].Value;
            using var s3 = new AmazonS3Client(new BasicAWSCredentials("test", "test"),
                new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
            await EventuallyAsync(async () => (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "lake", Prefix = "Raw/Local/CSV/Movies/" }))
                .S3Objects?.Any(o => o.Key.EndsWith("/mine/movies.csv", StringComparison.Ordinal)) == true, Output);

            Assert.Equal(0, await StopAsync(demo));
        }
        finally
        {
            if (!demo.HasExited)
                demo.Kill(entireProcessTree: true);
        }

        var output = lines.ToList();
        Assert.StartsWith("demo: stopped (exit 0)", output[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(output, line => line.Contains('\u001b')); // no colour codes when not on a terminal
        // The cut-off gzip's error concerns the whole file: placed as "file", not as "line 0".
        Assert.Contains(output, line => line.StartsWith("      file ", StringComparison.Ordinal) && line.Contains("invalid-gzip", StringComparison.Ordinal));
        Assert.DoesNotContain(output, line => line.Contains("line   0", StringComparison.Ordinal));
        var hostLog = Path.Combine(RepoPaths.Root, "artifacts", "demo", "host.log");
        Assert.True(File.Exists(hostLog), "the host log was not kept");
        Assert.Contains("mine/movies.csv", await File.ReadAllTextAsync(hostLog), StringComparison.Ordinal);

        // Step headers count 1..N in order, and the README lists N steps.
        var steps = output.Select(line => StepHeader().Match(line)).Where(m => m.Success).ToList();
        var readmeSteps = ReadmeDemoSteps();
        Assert.Equal(Enumerable.Range(1, readmeSteps), steps.Select(m => int.Parse(m.Groups[1].Value)));
        Assert.All(steps, m => Assert.Equal(readmeSteps, int.Parse(m.Groups[2].Value)));
    }

    private static Process StartDemo()
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepoPaths.Root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("scripts/demo.sh");
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k == "NO_COLOR").ToList())
            start.Environment.Remove(name);
        start.Environment["KEEP_RUNNING"] = "1";
        start.Environment["DEMO_BUILD"] = "0";
        // The test assembly lives in tests/IngestLambda.Tests/bin/<Configuration>/<tfm>/: the demo takes that build.
        start.Environment["CONFIGURATION"] = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Process.Start(start) ?? throw new InvalidOperationException("could not start scripts/demo.sh");
    }

    /// <summary>The lines between the header and "The function's log:", as a user would copy them.</summary>
    private static List<string> TryBlock(List<string> output)
    {
        var first = output.IndexOf(TryHeader) + 1;
        Assert.True(first > 0, $"no try block in:\n{string.Join('\n', output)}");
        var block = output.Skip(first).TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal)).Select(line => line.Trim()).ToList();
        Assert.Matches(ExportedEndpoint(), block[0]);
        return block;
    }

    private static async Task<ProcessRunner.Result> RunCleanAsync(string script)
    {
        var clean = Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k is not ("PATH" or "HOME"))
            .ToDictionary(k => k, _ => (string?)null);
        return await ProcessRunner.RunAsync("bash", ["-c", script], Path.GetTempPath(), TimeSpan.FromMinutes(1), clean);
    }

    private static async Task<int> StopAsync(Process demo)
    {
        var kill = await ProcessRunner.RunAsync("kill", ["-TERM", demo.Id.ToString()], RepoPaths.Root, TimeSpan.FromSeconds(10));
        Assert.True(kill.ExitCode == 0, kill.ToString());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await demo.WaitForExitAsync(timeout.Token);
        demo.WaitForExit(); // drains the output
        return demo.ExitCode;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> explain)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"the pasted upload was not filed within 60 s:\n{explain()}");
            await Task.Delay(250);
        }
    }

    /// <summary>How many numbered steps the README's list under "`make demo` needs no Docker" has.</summary>
    private static int ReadmeDemoSteps()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("`make demo` needs no Docker", StringComparison.Ordinal);
        var end = readme.IndexOf("`KEEP_RUNNING=1 make demo`", start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no list of the demo's steps");
        return Regex.Count(readme[start..end], @"^\d+\. ", RegexOptions.Multiline);
    }

    [GeneratedRegex(@"^export AWS_ACCESS_KEY_ID=\S+ AWS_SECRET_ACCESS_KEY=\S+ AWS_DEFAULT_REGION=\S+ AWS_ENDPOINT_URL=(http://127\.0\.0\.1:\d+)$")]
    private static partial Regex ExportedEndpoint();

    [GeneratedRegex(@"^(\d+)/(\d+) ")]
    private static partial Regex StepHeader();
}
