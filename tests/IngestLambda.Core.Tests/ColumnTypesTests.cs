using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Tests;

/// <summary>The one declared type -> engine type mapping (docs/contracts.md "Column types"), as the Glue tables and DuckDB read the columns.</summary>
public class ColumnTypesTests
{
    [Theory]
    [InlineData(LogicalType.Year, "int", "INTEGER")]
    [InlineData(LogicalType.Integer, "bigint", "BIGINT")]
    [InlineData(LogicalType.Number, "double", "DOUBLE")]
    [InlineData(LogicalType.Date, "date", "DATE")]
    [InlineData(LogicalType.Boolean, "boolean", "BOOLEAN")]
    [InlineData(LogicalType.String, "string", "VARCHAR")]
    [InlineData(LogicalType.List, "string", "VARCHAR")]
    public void Each_engine_names_each_declared_type(LogicalType type, string glue, string duckDb)
    {
        Assert.Equal(glue, ColumnTypes.Glue(type));
        Assert.Equal(duckDb, ColumnTypes.DuckDb(type));
    }

    [Theory]
    [InlineData(ColumnRule.Year, LogicalType.Year)]
    [InlineData(ColumnRule.WholeNumber, LogicalType.Integer)]
    [InlineData(ColumnRule.Rating, LogicalType.Number)]
    [InlineData(ColumnRule.Text, LogicalType.String)]
    [InlineData(ColumnRule.Id, LogicalType.String)]
    [InlineData(ColumnRule.List, LogicalType.List)]
    [InlineData(ColumnRule.IdList, LogicalType.List)]
    [InlineData(ColumnRule.Enum, LogicalType.String)]
    public void A_column_built_from_a_fast_rule_alone_has_the_type_of_its_values(ColumnRule rule, LogicalType type) =>
        Assert.Equal(type, new ColumnSchema { Name = "c", Rule = rule }.Type);

    [Fact]
    public void Every_logical_type_is_mapped() =>
        Assert.All(Enum.GetValues<LogicalType>(), type =>
        {
            Assert.NotEmpty(ColumnTypes.Glue(type));
            Assert.NotEmpty(ColumnTypes.DuckDb(type));
        });
}
