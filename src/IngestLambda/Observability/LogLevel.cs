namespace IngestLambda.Observability;

/// <summary>Severity of a log line, in the order (and with the names) of Lambda's log-level filter.</summary>
public enum LogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

public static class LogLevels
{
    /// <summary>The name Lambda's filter reads in a line's <c>level</c> (TRACE, DEBUG, INFO, WARN, ERROR, FATAL).</summary>
    public static string Name(this LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Info => "INFO",
        LogLevel.Warn => "WARN",
        LogLevel.Error => "ERROR",
        _ => "FATAL",
    };

    /// <summary>Case-insensitive; also accepts the common spellings INFORMATION, WARNING and CRITICAL.</summary>
    public static bool TryParse(string? text, out LogLevel level)
    {
        LogLevel? parsed = text?.Trim().ToUpperInvariant() switch
        {
            "TRACE" => LogLevel.Trace,
            "DEBUG" => LogLevel.Debug,
            "INFO" or "INFORMATION" => LogLevel.Info,
            "WARN" or "WARNING" => LogLevel.Warn,
            "ERROR" => LogLevel.Error,
            "FATAL" or "CRITICAL" => LogLevel.Fatal,
            _ => null,
        };
        level = parsed ?? LogLevel.Info;
        return parsed is not null;
    }
}
