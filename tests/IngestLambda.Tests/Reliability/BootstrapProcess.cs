using System.Diagnostics;
using System.Globalization;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Reliability;

/// <summary>
/// The published Native AOT <c>bootstrap</c> (artifacts/function/bootstrap, written by <c>make publish</c>, which
/// <c>make test</c> runs first) as a Lambda runtime process against a Runtime API and the test S3 endpoint, run under
/// <c>/usr/bin/time</c> so its peak RSS is its own (not inherited from the test host, as a fork would report).
/// </summary>
internal static class BootstrapProcess
{
    public sealed record Exit(int ExitCode, string StdErr, long PeakRssKb, TimeSpan Elapsed);

    public static string Path
    {
        get
        {
            var path = RepoPaths.PublishedBootstrap;
            if (!File.Exists(path))
                Assert.Fail($"{path} is missing: run `make publish` (make test does) before these tests.");
            if (!File.Exists("/usr/bin/time"))
                Assert.Fail("/usr/bin/time is missing (apt-get install time): it measures the bootstrap's peak RSS.");
            return path;
        }
    }

    public static async Task<Exit> RunAsync(string runtimeApi, Uri s3Endpoint, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var rssFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bootstrap-rss-{Guid.NewGuid():N}.txt");
        var start = new ProcessStartInfo("/usr/bin/time")
        {
            ArgumentList = { "-f", "%M", "-o", rssFile, Path },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        LambdaProcessEnvironment.Apply(start, runtimeApi, s3Endpoint.ToString(), environment);

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"bootstrap did not exit within {timeout}; stderr:\n{Tail(await stderr)}");
        }
        await stdout;
        var rss = File.Exists(rssFile) ? File.ReadAllLines(rssFile).LastOrDefault(l => l.Trim().All(char.IsAsciiDigit) && l.Trim().Length > 0) : null;
        File.Delete(rssFile);
        return new Exit(process.ExitCode, await stderr, rss is null ? -1 : long.Parse(rss.Trim(), CultureInfo.InvariantCulture), clock.Elapsed);
    }

    public static string Tail(string text, int lines = 30) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
