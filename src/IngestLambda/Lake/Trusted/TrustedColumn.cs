namespace IngestLambda.Lake.Trusted;

/// <summary>The Parquet type a trusted column is written as (docs/contracts.md "Trusted zone").</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Parquet's own physical type names.")]
public enum ParquetKind
{
    /// <summary>BYTE_ARRAY annotated as a UTF-8 string; dictionary-encoded where that pays.</summary>
    Utf8,
    /// <summary>INT32: only where the column's bounds prove every value fits.</summary>
    Int32,
    /// <summary>INT64: any other whole number.</summary>
    Int64,
    /// <summary>DOUBLE.</summary>
    Double,
    /// <summary>DATE (INT32 days since 1970-01-01).</summary>
    Date,
    /// <summary>BOOLEAN.</summary>
    Boolean,
}

/// <summary>
/// One column of a trusted Parquet file, independent of where the schema comes from: its name as in the CSV header,
/// its Parquet type and how its validated text reads as that type.
/// </summary>
public sealed record TrustedColumn(string Name, ParquetKind Kind)
{
    /// <summary>Whether the column may hold nulls (the CSV's missing value).</summary>
    public bool Nullable { get; init; } = true;

    /// <summary>For <see cref="ParquetKind.Double"/>: the decimal separator the text uses.</summary>
    public char DecimalChar { get; init; } = '.';

    /// <summary>For <see cref="ParquetKind.Boolean"/>: the spellings of true.</summary>
    public IReadOnlyList<string> TrueValues { get; init; } = ["true", "True", "TRUE", "1"];

    /// <summary>For <see cref="ParquetKind.Boolean"/>: the spellings of false.</summary>
    public IReadOnlyList<string> FalseValues { get; init; } = ["false", "False", "FALSE", "0"];
}
