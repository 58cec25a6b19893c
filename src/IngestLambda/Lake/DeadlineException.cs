namespace IngestLambda.Lake;

/// <summary>
/// The invocation's deadline: a record refused because it could not be read and copied in the time left, or stopped
/// DEADLINE_MARGIN_MS before the deadline. Nothing is left half-done (no multipart upload, no claim), so the retry
/// (with a fresh deadline) starts clean.
/// </summary>
public sealed class DeadlineException(string message, Exception? inner = null) : Exception(message, inner);
