namespace IngestLambda.Observability;

/// <summary>
/// Which lines the process writes, and at what level metrics lines must travel so that Lambda's own filter keeps
/// them (docs/deploy.md, "Logs and Lambda's log-level filter"). <c>LOG_LEVEL</c> filters in-process; Lambda sets
/// <c>AWS_LAMBDA_LOG_LEVEL</c> from the function's ApplicationLogLevel and drops every line below it (a line without
/// a valid <c>level</c> counts as INFO). The template sets ApplicationLogLevel to TRACE, so Lambda drops nothing and
/// LOG_LEVEL decides; an operator who raises the function's log level in Lambda is honoured too.
/// </summary>
public sealed record LogSettings(LogLevel Minimum, LogLevel LambdaFilter)
{
    public const string LogLevelVariable = "LOG_LEVEL";
    public const string LambdaLogLevelVariable = "AWS_LAMBDA_LOG_LEVEL";

    public static LogSettings Default { get; } = new(LogLevel.Info, LogLevel.Trace);

    /// <summary>
    /// Metrics lines are INFO, or Lambda's level when that is stricter: a metrics line must reach CloudWatch whatever
    /// is filtered, or the metrics vanish.
    /// </summary>
    public LogLevel MetricsLevel => LambdaFilter > LogLevel.Info ? LambdaFilter : LogLevel.Info;

    /// <summary>
    /// The stricter of LOG_LEVEL and AWS_LAMBDA_LOG_LEVEL (either alone when only one is set; INFO when neither is).
    /// Returns false, with the defaults for what is malformed, when a value is not a level; <paramref name="problem"/> says which.
    /// </summary>
    public static bool TryResolve(string? logLevel, string? lambdaLogLevel, out LogSettings settings, out string? problem)
    {
        problem = null;
        LogLevel? own = null, lambda = null;
        if (!string.IsNullOrEmpty(logLevel))
        {
            if (LogLevels.TryParse(logLevel, out var parsed))
                own = parsed;
            else
                problem = $"{LogLevelVariable}='{logLevel}' must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL";
        }
        if (!string.IsNullOrEmpty(lambdaLogLevel))
        {
            if (LogLevels.TryParse(lambdaLogLevel, out var parsed))
                lambda = parsed;
            else
                problem ??= $"{LambdaLogLevelVariable}='{lambdaLogLevel}' must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL";
        }
        var minimum = (own, lambda) switch
        {
            ({ } a, { } b) => a > b ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => LogLevel.Info,
        };
        settings = new LogSettings(minimum, lambda ?? LogLevel.Trace);
        return problem is null;
    }

    /// <summary>From the environment, leniently (a malformed value falls back to the default; configuration reports it).</summary>
    public static LogSettings FromEnvironment()
    {
        TryResolve(Environment.GetEnvironmentVariable(LogLevelVariable), Environment.GetEnvironmentVariable(LambdaLogLevelVariable), out var settings, out _);
        return settings;
    }
}
