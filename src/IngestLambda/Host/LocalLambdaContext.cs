using IngestLambda.Pipeline;

namespace IngestLambda.Host;

/// <summary>The context of a local run (<c>bootstrap invoke</c>, backfill, replay): a fresh request id and a deadline like a Lambda timeout.</summary>
internal sealed class LocalLambdaContext : ILambdaContext
{
    private readonly DateTimeOffset _deadline;
    private readonly TimeProvider _time;

    public LocalLambdaContext(TimeSpan timeout, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _deadline = _time.GetUtcNow() + timeout;
        FunctionName = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") is { Length: > 0 } name ? name : "IngestFunction-local";
    }

    public string AwsRequestId { get; } = Guid.NewGuid().ToString();
    public string FunctionName { get; }
    public TimeSpan RemainingTime => _deadline - _time.GetUtcNow();
}
