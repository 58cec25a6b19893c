using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Tests;

/// <summary>The one rule -> type mapping (docs/contracts.md "Column types"), as the Glue tables and DuckDB read the columns.</summary>
public class ColumnTypesTests
{
    [Theory]
    [InlineData(ColumnRule.Year, LogicalType.Int32, "int", "INTEGER")]
    [InlineData(ColumnRule.WholeNumber, LogicalType.Int64, "bigint", "BIGINT")]
    [InlineData(ColumnRule.Rating, LogicalType.Float64, "double", "DOUBLE")]
    [InlineData(ColumnRule.Text, LogicalType.Text, "string", "VARCHAR")]
    [InlineData(ColumnRule.Id, LogicalType.Text, "string", "VARCHAR")]
    [InlineData(ColumnRule.List, LogicalType.Text, "string", "VARCHAR")]
    [InlineData(ColumnRule.IdList, LogicalType.Text, "string", "VARCHAR")]
    [InlineData(ColumnRule.Enum, LogicalType.Text, "string", "VARCHAR")]
    public void A_rule_has_one_logical_type_and_each_engine_names_it(ColumnRule rule, LogicalType type, string glue, string duckDb)
    {
        Assert.Equal(type, ColumnTypes.Of(rule));
        Assert.Equal(type, new ColumnSchema { Name = "c", Rule = rule }.Type);
        Assert.Equal(glue, ColumnTypes.Glue(type));
        Assert.Equal(duckDb, ColumnTypes.DuckDb(type));
    }

    [Fact]
    public void Every_rule_and_every_logical_type_is_mapped()
    {
        Assert.All(Enum.GetValues<ColumnRule>(), rule => Assert.True(Enum.IsDefined(ColumnTypes.Of(rule))));
        Assert.All(Enum.GetValues<LogicalType>(), type =>
        {
            Assert.NotEmpty(ColumnTypes.Glue(type));
            Assert.NotEmpty(ColumnTypes.DuckDb(type));
        });
    }
}
