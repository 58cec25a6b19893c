using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace IngestLambda.LocalHost;

/// <summary>
/// Lambda's SQS poller for one sandbox: receive a batch, invoke, then delete the messages that succeeded and make the
/// others visible again: all of them after an error, the ones the response names in <c>batchItemFailures</c> after
/// a success (ReportBatchItemFailures). Moving a message that keeps failing to the failure queue is the queue's
/// redrive policy's job (maxReceiveCount), as in AWS.
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
                    MaxNumberOfMessages = options.BatchSize,
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

            if (messages.Count > 0)
                await InvokeAsync(messages, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InvokeAsync(List<Message> messages, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        InvocationResult result;
        try
        {
            result = await sandbox.InvokeAsync(SqsEvent.Create(messages, queueArn, options.Region), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // stopping: the messages become visible again when their visibility timeout lapses
        }

        string? problem = null;
        var failed = result.Succeeded
            ? BatchResponse.FailedMessageIds(result.Body, messages.Select(m => m.MessageId).ToList(), out problem)
            : messages.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        var why = result.Succeeded
            ? problem ?? "reported in batchItemFailures"
            : $"{result.ErrorType}: {result.Body}";

        // The receipt handles are used without the caller's token: a finished invocation is always settled.
        foreach (var message in messages)
        {
            var receiveCount = message.Attributes?.GetValueOrDefault("ApproximateReceiveCount") ?? "?";
            var summary = $"message {message.MessageId} (receive {receiveCount}) {watch.ElapsedMilliseconds} ms";
            if (!failed.Contains(message.MessageId))
            {
                await sqs.DeleteMessageAsync(options.QueueUrl, message.ReceiptHandle, CancellationToken.None).ConfigureAwait(false);
                log.WriteLine($"localhost: ok {summary}: {result.Body}");
            }
            else
            {
                await sqs.ChangeMessageVisibilityAsync(options.QueueUrl, message.ReceiptHandle, options.RetryDelaySeconds, CancellationToken.None).ConfigureAwait(false);
                log.WriteLine($"localhost: error {summary}: {why}");
            }
        }
    }
}
