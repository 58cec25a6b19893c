namespace IngestLambda.Analytics.Lake;

/// <summary>
/// An argument or setting that cannot be used (exit 2). It lives in the lowest layer because a setting of the lake
/// itself (ANSWERS_CACHE_MAX_MB) is one, and every layer above may throw it.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
