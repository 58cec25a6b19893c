namespace IngestLambda.Ingestion;

/// <summary>
/// A copy was refused because it could not finish before the invocation's deadline; nothing was written, so the
/// retry (with a fresh deadline) starts clean instead of finding a half-done multipart upload.
/// </summary>
public sealed class DeadlineException(string message) : Exception(message);
