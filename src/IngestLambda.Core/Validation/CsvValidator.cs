namespace IngestLambda.Core.Validation;

/// <summary>Validates a pipe-delimited UTF-8 CSV stream in one pass with bounded memory.</summary>
public static class CsvValidator
{
    /// <summary>Reads <paramref name="source"/> to its end once: validates every line and computes rows, bytes, SHA-256, line endings and BOM.</summary>
    public static Task<ValidationResult> ValidateAsync(Stream source, ValidationOptions? options = null, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("The validator is being written in the validator branch; merge main to get it.");
}
