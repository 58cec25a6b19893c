using System.Globalization;
using IngestLambda.Pipeline;

namespace IngestLambda.Host.Runtime;

/// <summary>The context of one invocation: the Runtime API's headers plus the function's standard environment.</summary>
internal sealed class LambdaContext : ILambdaContext
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _deadline;

    public LambdaContext(
        string awsRequestId,
        long deadlineUnixMs,
        string invokedFunctionArn,
        string? traceId,
        string? clientContextJson,
        string? cognitoIdentityJson,
        LambdaEnvironment environment,
        TimeProvider? time = null)
    {
        AwsRequestId = awsRequestId;
        _deadline = DateTimeOffset.FromUnixTimeMilliseconds(deadlineUnixMs);
        InvokedFunctionArn = invokedFunctionArn;
        TraceId = traceId;
        ClientContextJson = clientContextJson;
        CognitoIdentityJson = cognitoIdentityJson;
        FunctionName = environment.FunctionName;
        FunctionVersion = environment.FunctionVersion;
        MemoryLimitInMB = environment.MemoryLimitInMB;
        LogGroupName = environment.LogGroupName;
        LogStreamName = environment.LogStreamName;
        _time = time ?? TimeProvider.System;
    }

    public string AwsRequestId { get; }
    public string FunctionName { get; }
    public string FunctionVersion { get; }
    public string InvokedFunctionArn { get; }
    public string LogGroupName { get; }
    public string LogStreamName { get; }
    public int MemoryLimitInMB { get; }
    public DateTimeOffset Deadline => _deadline;

    /// <summary>Negative once the deadline has passed (as in Amazon.Lambda.RuntimeSupport).</summary>
    public TimeSpan RemainingTime => _deadline - _time.GetUtcNow();

    public string? TraceId { get; }
    public string? ClientContextJson { get; }
    public string? CognitoIdentityJson { get; }
}

/// <summary>The reserved AWS_LAMBDA_* variables Lambda sets for every function, read once at start.</summary>
internal sealed record LambdaEnvironment(
    string FunctionName,
    string FunctionVersion,
    int MemoryLimitInMB,
    string LogGroupName,
    string LogStreamName)
{
    public static LambdaEnvironment FromEnvironment() => new(
        Read("AWS_LAMBDA_FUNCTION_NAME"),
        Read("AWS_LAMBDA_FUNCTION_VERSION"),
        int.TryParse(Read("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), NumberStyles.None, CultureInfo.InvariantCulture, out var mb) ? mb : 0,
        Read("AWS_LAMBDA_LOG_GROUP_NAME"),
        Read("AWS_LAMBDA_LOG_STREAM_NAME"));

    private static string Read(string name) => Environment.GetEnvironmentVariable(name) ?? "";
}
