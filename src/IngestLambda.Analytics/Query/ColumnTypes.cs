using IngestLambda.Core.Schemas;

namespace IngestLambda.Analytics.Query;

/// <summary>
/// A column's SQL type follows from its rule, the same in the Glue tables (template.yaml) and in DuckDB:
/// year → int, integer → bigint, rating → double, everything else string.
/// </summary>
internal static class ColumnTypes
{
    public static string DuckDb(ColumnRule rule) => rule switch
    {
        ColumnRule.Year => "INTEGER",
        ColumnRule.WholeNumber => "BIGINT",
        ColumnRule.Rating => "DOUBLE",
        _ => "VARCHAR",
    };
}
