namespace IngestLambda.Pipeline;

/// <summary>
/// What the pipeline needs of an invocation: Amazon.Lambda.Core's ILambdaContext cut to the members it uses, so the
/// runtime's full context (Host/Runtime/LambdaContext) and a local run's both fit, and swapping in the official
/// library stays mechanical.
/// </summary>
public interface ILambdaContext
{
    /// <summary>Names the invocation in every log line.</summary>
    string AwsRequestId { get; }
    /// <summary>The metrics' dimension.</summary>
    string FunctionName { get; }
    /// <summary>Time left before the deadline Lambda sent with the invocation.</summary>
    TimeSpan RemainingTime { get; }
}
