namespace IngestLambda.Observability;

/// <summary>Severity of a log line; LOG_LEVEL sets the lowest one written.</summary>
public enum LogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}
