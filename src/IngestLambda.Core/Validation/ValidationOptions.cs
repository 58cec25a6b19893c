using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

public sealed record ValidationOptions
{
    public const int DefaultMaxLineBytes = 1_048_576;
    public const int DefaultMaxReportedErrors = 100;
    public const long DefaultErrorCountCap = 100_000;

    /// <summary>A line longer than this is reported as line-too-long without being buffered.</summary>
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;

    /// <summary>How many errors are listed; all are counted up to <see cref="ErrorCountCap"/>.</summary>
    public int MaxReportedErrors { get; init; } = DefaultMaxReportedErrors;

    /// <summary>
    /// Where counting errors stops (docs/contracts.md "Report"): past it the rest of an unquoted file only has its
    /// lines counted, so an upload of errors cannot buy more time per byte than valid rows do. The report then says
    /// <c>errorCountCapped</c> and its <c>errorCount</c> is this cap.
    /// </summary>
    public long ErrorCountCap { get; init; } = DefaultErrorCountCap;

    /// <summary>Whether an accepted file's result carries its profile (docs/contracts.md "Profile"); off only to measure its cost.</summary>
    public bool Profile { get; init; } = true;

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
