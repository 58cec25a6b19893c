using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

public sealed record ValidationOptions
{
    public const int DefaultMaxLineBytes = 1_048_576;
    public const int DefaultMaxReportedErrors = 100;

    /// <summary>A line longer than this is reported as line-too-long without being buffered.</summary>
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;

    /// <summary>How many errors are listed; all are counted.</summary>
    public int MaxReportedErrors { get; init; } = DefaultMaxReportedErrors;

    /// <summary>Whether the report carries the SHA-256 of the stored bytes besides their CRC64NVME (INTEGRITY_SHA256).</summary>
    public bool Sha256 { get; init; }

    private readonly SchemaCatalog? _schemas;

    /// <summary>The datasets a header is matched against; by default the shipped contracts (<see cref="SchemaCatalog.BuiltIn"/>), read only if asked for.</summary>
    public SchemaCatalog Schemas
    {
        get => _schemas ?? SchemaCatalog.BuiltIn;
        init => _schemas = value;
    }

    public static ValidationOptions Default { get; } = new();
}
