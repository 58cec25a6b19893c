using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace IngestLambda.LocalHost;

/// <summary>
/// Lambda's SQS poller for one sandbox: receive one message, invoke, then delete it on success or make it visible
/// again on failure. Moving a message that keeps failing to the failure queue is the queue's redrive policy's job
/// (maxReceiveCount), as in AWS.
/// </summary>
internal sealed class QueueWorker(IAmazonSQS sqs, HostOptions options, string queueArn, Sandbox sandbox, TextWriter log)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            List<Message> messages;
            try
            {
                var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = options.QueueUrl,
                    MaxNumberOfMessages = 1,
                    WaitTimeSeconds = options.WaitSeconds,
                    VisibilityTimeout = options.VisibilityTimeoutSeconds,
                    MessageSystemAttributeNames = ["All"],
                    MessageAttributeNames = ["All"],
                }, cancellationToken).ConfigureAwait(false);
                messages = received.Messages ?? [];
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (AmazonSQSException e)
            {
                log.WriteLine($"localhost: receive failed ({e.ErrorCode}: {e.Message}); retrying in 1 s");
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var message in messages)
                await InvokeAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InvokeAsync(Message message, CancellationToken cancellationToken)
    {
        var receiveCount = message.Attributes?.GetValueOrDefault("ApproximateReceiveCount") ?? "?";
        var watch = Stopwatch.StartNew();
        InvocationResult result;
        try
        {
            result = await sandbox.InvokeAsync(SqsEvent.Create(message, queueArn, options.Region), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // stopping: the message becomes visible again when its visibility timeout lapses
        }

        var summary = $"message {message.MessageId} (receive {receiveCount}) {watch.ElapsedMilliseconds} ms";
        // The receipt handles are used without the caller's token: a finished invocation is always settled.
        if (result.Succeeded)
        {
            await sqs.DeleteMessageAsync(options.QueueUrl, message.ReceiptHandle, CancellationToken.None).ConfigureAwait(false);
            log.WriteLine($"localhost: ok {summary}: {result.Body}");
        }
        else
        {
            await sqs.ChangeMessageVisibilityAsync(options.QueueUrl, message.ReceiptHandle, options.RetryDelaySeconds, CancellationToken.None).ConfigureAwait(false);
            log.WriteLine($"localhost: error {summary}: {result.ErrorType}: {result.Body}");
        }
    }
}
