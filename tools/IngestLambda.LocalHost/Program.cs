using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using IngestLambda.LocalHost;

// A local stand-in for Lambda's SQS event source mapping: see HostOptions.Usage.
var log = TextWriter.Synchronized(Console.Out);
if (args is ["--help"] or ["-h"])
{
    await Console.Out.WriteLineAsync(HostOptions.Usage).ConfigureAwait(false);
    return 0;
}
HostOptions options;
try
{
    options = HostOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"{e.Message}\n\n{HostOptions.Usage}").ConfigureAwait(false);
    return 2;
}
if (!File.Exists(options.BootstrapPath))
{
    await Console.Error.WriteLineAsync($"No function executable at {options.BootstrapPath} (run `make publish`).").ConfigureAwait(false);
    return 2;
}

using var stopping = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var config = new AmazonSQSConfig { RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region) };
if (options.EndpointUrl is not null)
    config.ServiceURL = options.EndpointUrl;
using var sqs = new AmazonSQSClient(config);

string queueArn;
try
{
    var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
    {
        QueueUrl = options.QueueUrl,
        AttributeNames = ["QueueArn"],
    }, stopping.Token).ConfigureAwait(false);
    queueArn = attributes.QueueARN;
}
catch (AmazonServiceException e)
{
    await Console.Error.WriteLineAsync($"Cannot read queue {options.QueueUrl}: {e.Message}").ConfigureAwait(false);
    return 1;
}

var sandboxes = Enumerable.Range(1, options.Concurrency).Select(i => new Sandbox(i, options, log)).ToList();
try
{
    foreach (var sandbox in sandboxes)
        sandbox.Start();
    log.WriteLine($"localhost: polling {queueArn} with {options.Concurrency} x {options.BootstrapPath} " +
        $"(timeout {options.Timeout.TotalSeconds:0} s, runtime API ports {string.Join(", ", sandboxes.Select(s => s.Port))})");

    var workers = sandboxes.Select(sandbox => new QueueWorker(sqs, options, queueArn, sandbox, log).RunAsync(stopping.Token));
    await Task.WhenAll(workers).ConfigureAwait(false);
}
finally
{
    foreach (var sandbox in sandboxes)
        await sandbox.DisposeAsync().ConfigureAwait(false);
    log.WriteLine("localhost: stopped");
}
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true; // shut down in order (children first) instead of dying on the spot
    stopping.Cancel();
}
