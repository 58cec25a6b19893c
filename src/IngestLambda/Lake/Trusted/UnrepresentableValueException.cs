namespace IngestLambda.Lake.Trusted;

/// <summary>
/// A validated value that its column's Parquet type cannot hold (a whole number beyond INT64, a number beyond DOUBLE's
/// range): the file is rejected with <c>invalid-value</c> and no Parquet is written (docs/contracts.md "Trusted zone").
/// </summary>
public sealed class UnrepresentableValueException(string column, long row, string value, ParquetKind kind)
    : Exception($"Column '{column}', data row {row}: '{value}' cannot be written as Parquet {kind}.")
{
    public string Column { get; } = column;
    /// <summary>1-based data row (the header is not counted).</summary>
    public long Row { get; } = row;
    public string Value { get; } = value;
}
