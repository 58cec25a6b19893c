using System.Diagnostics;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace IngestLambda.Tests.Infrastructure;

/// <summary>
/// A real S3 API for the tests: <c>moto_server</c> on a free loopback port, started once per test collection and
/// killed on dispose. Where AWS_ENDPOINT_URL is set (e.g. LocalStack), that endpoint is used instead. A missing
/// moto_server fails every test of the collection with a message saying so (never a silent skip).
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private Process? _process;
    private readonly StringWriterLog _output = new();

    public Uri Endpoint { get; private set; } = null!;

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("testing", "testing");

    public async Task InitializeAsync()
    {
        UnitOnly.Refuse("an S3 endpoint (moto_server)");
        if (Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 } external)
        {
            Endpoint = new Uri(external);
            return;
        }

        var executable = LocalMachine.FindOnPath("moto_server")
            ?? throw new InvalidOperationException(
                "moto_server is not on PATH, and the S3 integration tests need it (pip install 'moto[server]'), "
                + "or set AWS_ENDPOINT_URL to a running S3-compatible endpoint such as LocalStack.");

        var port = LocalMachine.FreeLoopbackPort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", port.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        // Drain both pipes, or moto blocks once a pipe buffer fills up with request logs.
        _process.OutputDataReceived += (_, e) => _output.Add(e.Data);
        _process.ErrorDataReceived += (_, e) => _output.Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode} before answering:\n{_output}");
            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "moto-api/"));
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }
            if (clock.Elapsed > StartTimeout)
                throw new TimeoutException($"moto_server did not answer on {Endpoint} within {StartTimeout.TotalSeconds} s:\n{_output}");
            await Task.Delay(100);
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// A client for test set-up and checks. Response checksums are validated only when required: moto keeps a
    /// multipart source's composite CRC32 on copies, which a validating client rejects; tests compare SHA-256.
    /// </summary>
    public IAmazonS3 CreateClient() => new AmazonS3Client(Credentials, new AmazonS3Config
    {
        ServiceURL = Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>The last lines moto printed, for failure messages.</summary>
    private sealed class StringWriterLog
    {
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
                return;
            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > 50)
                    _lines.Dequeue();
            }
        }

        public override string ToString()
        {
            lock (_lines)
                return string.Join('\n', _lines);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MotoServerGroup : ICollectionFixture<MotoServer>
{
    public const string Name = "moto_server";
}
