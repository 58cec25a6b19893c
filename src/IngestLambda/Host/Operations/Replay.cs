using Amazon.SQS;
using Amazon.SQS.Model;
using IngestLambda.Core.Reports;
using IngestLambda.Pipeline;

namespace IngestLambda.Host.Operations;

/// <param name="Max">At most this many messages; null: until the queue answers none.</param>
internal sealed record ReplayRequest(string QueueUrl, int? Max, bool DryRun);

/// <summary>
/// <c>bootstrap replay</c>: runs the pipeline on each record of each message waiting in the failure queue and deletes
/// a message only when every one of its records finished (any outcome but <c>failed</c>). A message that cannot be
/// parsed, or whose records did not all finish, stays and is reported; at the end those become visible again at once,
/// ready for the next replay or a redrive.
/// </summary>
internal sealed class Replay(IngestFunction function, IAmazonSQS sqs, OperationOutput output)
{
    /// <summary>While this run works on a message, nobody else receives it.</summary>
    private const int VisibilitySeconds = 900;

    public async Task RunAsync(ReplayRequest request, CancellationToken cancellationToken)
    {
        var kept = new List<string>();
        var handled = 0;
        try
        {
            while (request.Max is not { } max || handled < max)
            {
                var receive = new ReceiveMessageRequest
                {
                    QueueUrl = request.QueueUrl,
                    MaxNumberOfMessages = Math.Min(10, request.Max is { } m ? m - handled : 10),
                    WaitTimeSeconds = 1,
                    VisibilityTimeout = VisibilitySeconds,
                };
                var messages = await ReceiveAsync(receive, handled, cancellationToken).ConfigureAwait(false);
                if (messages is null or { Count: 0 })
                    break;
                foreach (var message in messages)
                {
                    handled++;
                    output.Listed();
                    if (await ReplayAsync(message, request.DryRun, cancellationToken).ConfigureAwait(false) && !request.DryRun)
                        await sqs.DeleteMessageAsync(request.QueueUrl, message.ReceiptHandle, cancellationToken).ConfigureAwait(false);
                    else
                        kept.Add(message.ReceiptHandle);
                }
            }
        }
        finally
        {
            foreach (var receipt in kept)
                await sqs.ChangeMessageVisibilityAsync(request.QueueUrl, receipt, 0, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The next messages. A queue that cannot be read at the start (missing, denied, unreachable) means nothing was
    /// replayed (exit 2); later, it ends the run with what was done (null), reported as a failure.
    /// </summary>
    private async Task<List<Message>?> ReceiveAsync(ReceiveMessageRequest receive, int handled, CancellationToken cancellationToken)
    {
        try
        {
            return (await sqs.ReceiveMessageAsync(receive, cancellationToken).ConfigureAwait(false)).Messages ?? [];
        }
        catch (Exception e) when (CannotStartException.IsAccessFailure(e))
        {
            var what = $"reading the queue {receive.QueueUrl} failed ({CannotStartException.Describe(e)})";
            if (handled == 0)
                throw new CannotStartException($"{what}; nothing was replayed", e);
            output.Problem($"{what} after {handled} messages: those were replayed, and running replay again picks up the rest");
            return null;
        }
    }

    /// <summary>True when every record of the message finished, so it may be deleted.</summary>
    private async Task<bool> ReplayAsync(Message message, bool dryRun, CancellationToken cancellationToken)
    {
        var (queued, problem) = QueuedEvent.Parse(message.Body ?? "");
        if (queued is null)
        {
            output.Add(new RecordResult { Outcome = Outcomes.Failed, SqsMessageId = message.MessageId, Message = $"left in the queue: {problem}" });
            return false;
        }
        var finished = true;
        foreach (var incoming in queued.Records)
        {
            var record = incoming with { SqsMessageId = message.MessageId };
            var result = dryRun
                ? await PlanAsync(record, cancellationToken).ConfigureAwait(false)
                : (await function.ProcessRecordAsync(record, new LocalLambdaContext(TimeSpan.FromSeconds(VisibilitySeconds)), RunOptions.Default, cancellationToken)
                    .ConfigureAwait(false)).Result;
            if (queued.EarlierFailure is { } earlier)
                result = result with { Message = RecordRun.Join(result.Message, $"replayed from the failure queue ({earlier})") };
            finished &= result.Outcome != Outcomes.Failed;
            output.Add(result);
        }
        return finished;
    }

    private async Task<RecordResult> PlanAsync(Events.IncomingRecord record, CancellationToken cancellationToken)
    {
        try
        {
            return await function.PlanRecordAsync(record, RunOptions.Default, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new RecordResult { Outcome = Outcomes.Failed, Bucket = record.Bucket, Key = record.EncodedKey, SqsMessageId = record.SqsMessageId, Message = $"{e.GetType().Name}: {e.Message}" };
        }
    }
}
