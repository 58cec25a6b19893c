using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Profiling;

/// <summary>How a dataset's columns are profiled, from their contract (docs/contracts.md "Profile").</summary>
public static class ProfileColumns
{
    /// <summary>Integer, Number and Year are numeric; List counts its items; String, Date and Boolean are text.</summary>
    public static ColumnKind KindOf(LogicalType type) => type switch
    {
        LogicalType.Integer or LogicalType.Number or LogicalType.Year => ColumnKind.Numeric,
        LogicalType.List => ColumnKind.List,
        _ => ColumnKind.Text,
    };

    public static ProfiledColumn[] Of(DatasetSchema dataset) =>
    [
        .. dataset.Columns.Select(c => new ProfiledColumn(c.Name, KindOf(c.Type))
        {
            MissingValues = c.MissingValues,
            ListDelimiter = c.ListDelimiter is [var d] && d < 128 ? (byte)d : (byte)',',
        }),
    ];
}
