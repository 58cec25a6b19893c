namespace IngestLambda.LocalHost;

/// <summary>How one invocation ended: the runtime's response, or an error (from the runtime or from the host).</summary>
internal sealed record InvocationResult(bool Succeeded, string Body, string? ErrorType)
{
    public static InvocationResult Success(string body) => new(true, body, null);

    public static InvocationResult Failure(string errorType, string message) =>
        new(false, $$"""{"errorType":"{{errorType}}","errorMessage":"{{message.Replace("\"", "'", StringComparison.Ordinal)}}"}""", errorType);
}

/// <summary>One event on its way through a sandbox: queued, then handed to the runtime by GET /next, then answered.</summary>
internal sealed class Invocation(byte[] payload)
{
    private const int Queued = 0, PickedUp = 1, Abandoned = 2;
    private int _state = Queued;

    public string RequestId { get; } = Guid.NewGuid().ToString();

    public byte[] Payload { get; } = payload;

    public TaskCompletionSource PickedUpSignal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<InvocationResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Claims the invocation for a runtime; false when the host already gave up waiting for one.</summary>
    public bool TryPickUp()
    {
        if (Interlocked.CompareExchange(ref _state, PickedUp, Queued) != Queued)
            return false;
        PickedUpSignal.TrySetResult();
        return true;
    }

    /// <summary>Withdraws a queued invocation no runtime asked for; false when one already has it.</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;

    public bool Complete(InvocationResult result) => Completion.TrySetResult(result);
}
