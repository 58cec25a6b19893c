using IngestLambda.Runtime;

namespace IngestLambda.Ingestion;

/// <summary>
/// The function handler: an S3 event (or an SQS event wrapping S3 events) in, the result JSON out.
/// Contract shared by the runtime loop (Runtime/) and `bootstrap invoke` (Cli/).
/// </summary>
public sealed class IngestFunction
{
    /// <summary>Reads and checks configuration from the environment; throws <see cref="ConfigurationException"/> naming the bad variable.</summary>
    public static IngestFunction FromEnvironment() => new();

    /// <summary>Handles one invocation and returns the result JSON. Throws when S3 failed so that Lambda retries.</summary>
    public Task<Stream> HandleAsync(Stream input, ILambdaContext context, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException($"{GetType().Name}: the ingestion pipeline is being written in the ingestion branch.");
}

/// <summary>A setting is missing or malformed; the message names the environment variable.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
