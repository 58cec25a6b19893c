using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace IngestLambda.LocalHost;

/// <summary>
/// One execution environment: a `bootstrap` child process and the server side of the Lambda Runtime API it talks
/// to (its own loopback port). It serves one invocation at a time, enforces the deadline by killing the process,
/// and restarts the process whenever it exits (crash, init error or timeout), as Lambda replaces a sandbox.
/// </summary>
internal sealed class Sandbox : IAsyncDisposable
{
    private const string ApiPrefix = "/2018-06-01/runtime/";

    private readonly int _index;
    private readonly HostOptions _options;
    private readonly TextWriter _log;
    private readonly HttpListener _listener = new();
    private readonly Channel<Invocation> _pending = Channel.CreateUnbounded<Invocation>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _closing = new();
    private Invocation? _current;
    private Process? _process;
    private Task _serving = Task.CompletedTask;
    private Task _supervising = Task.CompletedTask;

    public Sandbox(int index, HostOptions options, TextWriter log)
    {
        _index = index;
        _options = options;
        _log = log;
        Port = FreeLoopbackPort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
    }

    public int Port { get; }

    private string Name => $"bootstrap#{_index}";

    public void Start()
    {
        _listener.Start();
        _serving = ServeAsync();
        _supervising = SuperviseAsync();
    }

    /// <summary>Runs one invocation and returns how it ended; never throws for a function failure.</summary>
    public async Task<InvocationResult> InvokeAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var invocation = new Invocation(payload);
        await _pending.Writer.WriteAsync(invocation, cancellationToken).ConfigureAwait(false);

        // A runtime that is still starting (or crash-looping) gets the init timeout to ask for it.
        var pickedUp = await Task.WhenAny(invocation.PickedUpSignal.Task, Task.Delay(_options.InitTimeout, cancellationToken)).ConfigureAwait(false);
        if (pickedUp != invocation.PickedUpSignal.Task && invocation.TryAbandon())
            return InvocationResult.Failure("Runtime.Unavailable", $"{Name} did not ask for an invocation within {_options.InitTimeout.TotalSeconds:0} s");

        return await invocation.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SuperviseAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!_stopping.IsCancellationRequested)
        {
            var started = Stopwatch.StartNew();
            using var process = StartProcess();
            _process = process;
            try
            {
                await process.WaitForExitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The host is stopping: the child goes with it, before this handle is disposed.
                KillProcess();
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                break;
            }

            // The invocation it was running (if any) fails, as in Lambda when the runtime exits mid-invocation.
            Interlocked.Exchange(ref _current, null)?.Complete(
                InvocationResult.Failure("Runtime.ExitError", $"{Name} exited with code {process.ExitCode} during the invocation"));
            _log.WriteLine($"{Name}: exited with code {process.ExitCode}; starting a new one");

            // Back off while the process dies young (bad configuration), so a broken build does not spin.
            backoff = started.Elapsed < TimeSpan.FromSeconds(2) ? TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks)) : TimeSpan.FromMilliseconds(200);
            try
            {
                await Task.Delay(backoff, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private Process StartProcess()
    {
        var startInfo = new ProcessStartInfo(Path.GetFullPath(_options.BootstrapPath))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(_options.BootstrapPath)),
        };
        var environment = startInfo.Environment;
        environment["AWS_LAMBDA_RUNTIME_API"] = $"127.0.0.1:{Port}";
        environment["AWS_LAMBDA_FUNCTION_NAME"] = _options.FunctionName;
        environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = _options.MemoryMB.ToString(CultureInfo.InvariantCulture);
        environment["AWS_LAMBDA_LOG_GROUP_NAME"] = $"/aws/lambda/{_options.FunctionName}";
        environment["AWS_LAMBDA_LOG_STREAM_NAME"] = $"local/{Name}";
        environment["AWS_REGION"] = _options.Region;
        environment["_HANDLER"] = "bootstrap";
        environment["LAMBDA_TASK_ROOT"] = startInfo.WorkingDirectory;

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.WriteLine($"[{Name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.WriteLine($"[{Name}] {e.Data}"); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url?.AbsolutePath ?? "";
            if (!path.StartsWith(ApiPrefix, StringComparison.Ordinal))
            {
                await ReplyAsync(response, 404, """{"errorType":"NotFound","errorMessage":"unknown path"}""").ConfigureAwait(false);
                return;
            }
            var route = path[ApiPrefix.Length..].Split('/');
            switch (request.HttpMethod, route)
            {
                case ("GET", ["invocation", "next"]):
                    await NextAsync(response).ConfigureAwait(false);
                    break;
                case ("POST", ["invocation", var requestId, "response"]):
                    await AnswerAsync(response, requestId, InvocationResult.Success(await ReadBodyAsync(request).ConfigureAwait(false))).ConfigureAwait(false);
                    break;
                case ("POST", ["invocation", var requestId, "error"]):
                    var errorType = request.Headers["Lambda-Runtime-Function-Error-Type"] ?? "Unhandled";
                    await AnswerAsync(response, requestId, new InvocationResult(false, await ReadBodyAsync(request).ConfigureAwait(false), errorType)).ConfigureAwait(false);
                    break;
                case ("POST", ["init", "error"]):
                    _log.WriteLine($"{Name}: init error: {await ReadBodyAsync(request).ConfigureAwait(false)}");
                    await ReplyAsync(response, 202, """{"status":"OK"}""").ConfigureAwait(false);
                    break;
                default:
                    await ReplyAsync(response, 404, """{"errorType":"NotFound","errorMessage":"unknown route"}""").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The runtime went away (killed, or the host is stopping); its invocation is failed by the supervisor.
        }
        finally
        {
            response.Close();
        }
    }

    private async Task NextAsync(HttpListenerResponse response)
    {
        Invocation invocation;
        do
        {
            invocation = await _pending.Reader.ReadAsync(_closing.Token).ConfigureAwait(false);
        }
        while (!invocation.TryPickUp());

        Interlocked.Exchange(ref _current, invocation)?.Complete(
            InvocationResult.Failure("Runtime.NoResponse", $"{Name} asked for the next invocation without answering this one"));

        var deadline = DateTimeOffset.UtcNow + _options.Timeout;
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = _options.FunctionArn;
        response.Headers["Lambda-Runtime-Trace-Id"] = NewTraceId();
        _ = EnforceDeadlineAsync(invocation);
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength64 = invocation.Payload.Length;
        await response.OutputStream.WriteAsync(invocation.Payload, _stopping.Token).ConfigureAwait(false);
    }

    private async Task AnswerAsync(HttpListenerResponse response, string requestId, InvocationResult result)
    {
        var current = Volatile.Read(ref _current);
        if (current is null || current.RequestId != requestId || Interlocked.CompareExchange(ref _current, null, current) != current)
        {
            await ReplyAsync(response, 400, """{"errorType":"InvalidRequestID","errorMessage":"no such invocation in progress"}""").ConfigureAwait(false);
            return;
        }
        current.Complete(result);
        await ReplyAsync(response, 202, """{"status":"OK"}""").ConfigureAwait(false);
    }

    /// <summary>Past the deadline the process is killed (its state is suspect) and the invocation fails.</summary>
    private async Task EnforceDeadlineAsync(Invocation invocation)
    {
        var finished = await Task.WhenAny(invocation.Completion.Task, Task.Delay(_options.Timeout, _stopping.Token)).ConfigureAwait(false);
        if (finished == invocation.Completion.Task || _stopping.IsCancellationRequested)
            return;
        if (Interlocked.CompareExchange(ref _current, null, invocation) != invocation)
            return;
        invocation.Complete(InvocationResult.Failure("Sandbox.Timedout", $"Task timed out after {_options.Timeout.TotalSeconds:0} seconds"));
        _log.WriteLine($"{Name}: invocation {invocation.RequestId} timed out; killing the process");
        KillProcess();
    }

    private void KillProcess()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or System.ComponentModel.Win32Exception)
        {
            // Already exited.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Children first (the supervisor kills and reaps its process), then the API they were waiting on, so no
        // runtime sees its GET /next cut off and reports a spurious error.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _supervising.ConfigureAwait(false);
        await _closing.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        _listener.Close();
        await _serving.ConfigureAwait(false);
        _stopping.Dispose();
        _closing.Dispose();
    }

    private static async Task<string> ReadBodyAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        return await reader.ReadToEndAsync().ConfigureAwait(false);
    }

    private static async Task ReplyAsync(HttpListenerResponse response, int status, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
    }

    /// <summary>An X-Ray style trace header, as Lambda passes it (never sampled locally).</summary>
    private static string NewTraceId()
    {
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        var random = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..24];
        var parent = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..16];
        return $"Root=1-{epoch}-{random};Parent={parent};Sampled=0";
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
