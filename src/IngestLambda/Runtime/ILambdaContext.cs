namespace IngestLambda.Runtime;

/// <summary>
/// The invocation context, shaped like Amazon.Lambda.Core's ILambdaContext so that swapping in the official
/// library is mechanical.
/// </summary>
public interface ILambdaContext
{
    string AwsRequestId { get; }
    string FunctionName { get; }
    string FunctionVersion { get; }
    string InvokedFunctionArn { get; }
    string LogGroupName { get; }
    string LogStreamName { get; }
    int MemoryLimitInMB { get; }
    /// <summary>Time left before the deadline Lambda sent with the invocation.</summary>
    TimeSpan RemainingTime { get; }
    string? TraceId { get; }
    /// <summary>The raw JSON of the client context header, if any.</summary>
    string? ClientContextJson { get; }
    /// <summary>The raw JSON of the Cognito identity header, if any.</summary>
    string? CognitoIdentityJson { get; }
}
