namespace IngestLambda.Analytics.Lake;

/// <summary>The lake holds no data for the request, or a file in it cannot be read: exit 1.</summary>
internal sealed class LakeDataException(string message) : Exception(message);

/// <summary>The lake cannot be reached: a missing bucket, bad credentials, no network: exit 2.</summary>
internal sealed class LakeAccessException(string message, Exception? inner = null) : Exception(message, inner);
