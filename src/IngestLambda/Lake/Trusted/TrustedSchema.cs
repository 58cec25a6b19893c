using System.Globalization;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Lake.Trusted;

/// <summary>A dataset's trusted columns from its contract's logical types (docs/contracts.md "Trusted zone").</summary>
public static class TrustedSchema
{
    public static TrustedColumn[] For(DatasetSchema dataset) => [.. dataset.Columns.Select(For)];

    public static TrustedColumn For(ColumnSchema column)
    {
        var kind = column.Type switch
        {
            LogicalType.Year => ParquetKind.Int32, // four digits
            LogicalType.Integer => FitsInt32(column.Constraints) ? ParquetKind.Int32 : ParquetKind.Int64,
            LogicalType.Number => ParquetKind.Double,
            // Only yyyy-mm-dd is read as DATE; a contract's other date formats stay text as written.
            LogicalType.Date when column.DateFormat == "default" => ParquetKind.Date,
            LogicalType.Boolean => ParquetKind.Boolean,
            _ => ParquetKind.Utf8, // String, List (lists stay text), dates in other formats
        };
        return new TrustedColumn(column.Name, kind)
        {
            Nullable = column.Nullable,
            DecimalChar = column.DecimalChar,
            TrueValues = column.TrueValues,
            FalseValues = column.FalseValues,
        };
    }

    /// <summary>Whether the contract's bounds prove every valid value fits INT32: both a lower and an upper bound within it.</summary>
    private static bool FitsInt32(FieldConstraints constraints) =>
        Bound(constraints.Minimum ?? constraints.ExclusiveMinimum) is >= int.MinValue
        && Bound(constraints.Maximum ?? constraints.ExclusiveMaximum) is <= int.MaxValue;

    private static decimal? Bound(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
