using System.Collections.Concurrent;
using System.Diagnostics;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Template;

namespace IngestLambda.Tests.EndToEnd;

/// <summary>tools/IngestLambda.LocalHost running as a child process, with its log captured line by line.</summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private LocalHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string Log => string.Join('\n', _lines);

    /// <summary>The host's build output (built with the solution; built here if it is missing).</summary>
    public static string Assembly
    {
        get
        {
            // The test assembly lives in tests/IngestLambda.Tests/bin/<Configuration>/<tfm>/.
            var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = testDir.Parent!.Name;
            return Path.Combine(RepoPaths.Root, "tools", "IngestLambda.LocalHost", "bin", configuration, testDir.Name, "IngestLambda.LocalHost.dll");
        }
    }

    public static async Task<LocalHostProcess> StartAsync(QueueAddress queue, string bootstrap, IReadOnlyDictionary<string, string?> environment,
        params string[] options)
    {
        await EnsureBuiltAsync();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var argument in new[] { Assembly, "--queue-url", queue.Url, "--bootstrap", bootstrap, "--wait-seconds", "1" }.Concat(options))
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        var host = new LocalHostProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the local host."));
        await host.WaitForLineAsync(line => line.StartsWith("localhost: polling", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        return host;
    }

    public async Task WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!_lines.Any(predicate))
        {
            if (_process.HasExited && !_lines.Any(predicate))
                throw new InvalidOperationException($"The local host exited with code {_process.ExitCode}:\n{Log}");
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"The local host did not log the expected line within {timeout}:\n{Log}");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the host as `make demo` does (SIGTERM) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            var kill = await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString()], RepoPaths.Root, TimeSpan.FromSeconds(10));
            Assert.True(kill.ExitCode == 0 || _process.HasExited, kill.ToString());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }
        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync();
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    private static readonly SemaphoreSlim BuildLock = new(1, 1);

    private static async Task EnsureBuiltAsync()
    {
        await BuildLock.WaitAsync();
        try
        {
            if (File.Exists(Assembly))
                return;
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var build = await ProcessRunner.RunAsync("dotnet", ["build", "tools/IngestLambda.LocalHost", "-c", configuration],
                RepoPaths.Root, TimeSpan.FromMinutes(5));
            Assert.True(build.ExitCode == 0, build.ToString());
        }
        finally
        {
            BuildLock.Release();
        }
    }
}
