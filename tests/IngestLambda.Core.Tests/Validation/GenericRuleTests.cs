using System.Text;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Tests.Contracts;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// Columns the fast rules do not cover are judged by their contract's type and constraints as declared
/// (<see cref="ValueRule"/>): exact bounds, calendar dates, booleans, lengths in characters, patterns on the whole
/// value, list items, and the contract's own missing values.
/// </summary>
public class GenericRuleTests
{
    private static CompiledColumn Column(string fieldJson, string missingValues = "[\"\\\\N\"]")
    {
        var dataset = TestContracts.Read(TestContracts.Unquoted("T", '|', fieldJson, missingValues));
        return new CompiledColumn(dataset.Columns[0]);
    }

    private static string? Verdict(CompiledColumn column, string value) => column.CheckValue(Encoding.UTF8.GetBytes(value));

    public static TheoryData<string, string, string?> Cases => new()
    {
        // Integers: any length, exact bounds, no '+' and no "-0".
        { """{"name": "c", "type": "integer", "constraints": {"minimum": 1, "maximum": 5}}""", "1", null },
        { """{"name": "c", "type": "integer", "constraints": {"minimum": 1, "maximum": 5}}""", "005", null },
        { """{"name": "c", "type": "integer", "constraints": {"minimum": 1, "maximum": 5}}""", "0", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "integer", "constraints": {"minimum": 1, "maximum": 5}}""", "6", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "integer", "constraints": {"minimum": 1, "maximum": 5}}""", "99999999999999999999999999", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "integer", "constraints": {"minimum": 1, "maximum": 5}}""", "+3", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "integer", "constraints": {"minimum": 1, "maximum": 5}}""", "3.0", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "integer", "constraints": {"minimum": 1, "maximum": 5}}""", "", ErrorCodes.EmptyField },
        { """{"name": "c", "type": "integer"}""", "-12", null },
        { """{"name": "c", "type": "integer"}""", "-0", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "integer"}""", "123456789012345678901234567890", null },
        { """{"name": "c", "type": "integer", "constraints": {"exclusiveMinimum": 0}}""", "0", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "integer", "constraints": {"exclusiveMinimum": 0}}""", "1", null },
        { """{"name": "c", "type": "integer", "constraints": {"enum": [1, 2]}}""", "02", null },
        { """{"name": "c", "type": "integer", "constraints": {"enum": [1, 2]}}""", "3", ErrorCodes.InvalidValue },
        // Numbers compare exactly, exponents included.
        { """{"name": "c", "type": "number", "constraints": {"minimum": 0.5, "maximum": 5}}""", "0.5", null },
        { """{"name": "c", "type": "number", "constraints": {"minimum": 0.5, "maximum": 5}}""", "5", null },
        { """{"name": "c", "type": "number", "constraints": {"minimum": 0.5, "maximum": 5}}""", "0.05e1", null },
        { """{"name": "c", "type": "number", "constraints": {"minimum": 0.5, "maximum": 5}}""", "0.49999999999999999999", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "number", "constraints": {"minimum": 0.5, "maximum": 5}}""", "5.0000000000000000001", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "number", "constraints": {"minimum": 0.5, "maximum": 5}}""", "1e1", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "number", "constraints": {"minimum": 0.5, "maximum": 5}}""", "NaN", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "number", "constraints": {"minimum": 0.5, "maximum": 5}}""", "INF", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "number", "constraints": {"minimum": 0.5, "maximum": 5}}""", ".5", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "number", "constraints": {"minimum": 0.5, "maximum": 5}}""", "5.", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "number", "constraints": {"minimum": 0.5, "maximum": 5}}""", "1,5", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "number", "decimalChar": ","}""", "1,5", null },
        { """{"name": "c", "type": "number", "decimalChar": ","}""", "1.5", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "number"}""", "-inf", null },
        { """{"name": "c", "type": "number"}""", "NaN", null },
        { """{"name": "c", "type": "number"}""", "-NaN", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "number", "constraints": {"exclusiveMaximum": 100}}""", "99.99", null },
        { """{"name": "c", "type": "number", "constraints": {"exclusiveMaximum": 100}}""", "100.00", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "number", "constraints": {"minimum": -1}}""", "-0.5", null },
        { """{"name": "c", "type": "number", "constraints": {"minimum": -1}}""", "-1.5", ErrorCodes.InvalidValue },
        // Years are 4 digits; dates exist in the calendar, in the declared format.
        { """{"name": "c", "type": "year", "constraints": {"minimum": 1900}}""", "1900", null },
        { """{"name": "c", "type": "year", "constraints": {"minimum": 1900}}""", "1899", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "year", "constraints": {"minimum": 1900}}""", "-190", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "date"}""", "2024-02-29", null },
        { """{"name": "c", "type": "date"}""", "2023-02-29", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "date"}""", "2024-2-29", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "date"}""", "2024-13-01", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "date", "constraints": {"minimum": "2020-01-01"}}""", "2019-12-31", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "date", "format": "%d/%m/%Y"}""", "31/12/2024", null },
        { """{"name": "c", "type": "date", "format": "%d/%m/%Y"}""", "2024-12-31", ErrorCodes.InvalidValue },
        // Booleans: the standard's spellings, or the contract's.
        { """{"name": "c", "type": "boolean"}""", "TRUE", null },
        { """{"name": "c", "type": "boolean"}""", "0", null },
        { """{"name": "c", "type": "boolean"}""", "yes", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "boolean", "trueValues": ["Y"], "falseValues": ["N"]}""", "N", null },
        { """{"name": "c", "type": "boolean", "trueValues": ["Y"], "falseValues": ["N"]}""", "true", ErrorCodes.InvalidValue },
        // Text: lengths in characters, patterns on the whole value, enums.
        { """{"name": "c", "type": "string", "constraints": {"minLength": 2, "maxLength": 3}}""", "ção", null },
        { """{"name": "c", "type": "string", "constraints": {"minLength": 2, "maxLength": 3}}""", "a", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "string", "constraints": {"minLength": 2, "maxLength": 3}}""", "abcd", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "string", "constraints": {"minLength": 2, "maxLength": 3}}""", "", ErrorCodes.EmptyField },
        { """{"name": "c", "type": "string", "constraints": {"pattern": "[A-Z]{2}"}}""", "AB", null },
        { """{"name": "c", "type": "string", "constraints": {"pattern": "[A-Z]{2}"}}""", "ABC", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "string", "constraints": {"pattern": "[A-Z]{2}"}}""", "ab", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "string", "constraints": {"enum": ["a", ""]}}""", "", null },
        { """{"name": "c", "categories": ["x", "y"], "type": "string"}""", "z", ErrorCodes.InvalidValue },
        // Lists: the item rule on each item, the count as the length.
        { """{"name": "c", "type": "list", "itemType": "integer", "delimiter": ";", "x-ingest-itemConstraints": {"minimum": 1}, "constraints": {"maxLength": 3}}""", "1;2;3", null },
        { """{"name": "c", "type": "list", "itemType": "integer", "delimiter": ";", "x-ingest-itemConstraints": {"minimum": 1}, "constraints": {"maxLength": 3}}""", "1;2;3;4", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "list", "itemType": "integer", "delimiter": ";", "x-ingest-itemConstraints": {"minimum": 1}, "constraints": {"maxLength": 3}}""", "1;0", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "list", "itemType": "integer", "delimiter": ";", "x-ingest-itemConstraints": {"minimum": 1}, "constraints": {"maxLength": 3}}""", "1;;2", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "list", "itemType": "integer", "delimiter": ";", "x-ingest-itemConstraints": {"minimum": 1}, "constraints": {"maxLength": 3}}""", "", ErrorCodes.EmptyField },
        { """{"name": "c", "type": "list", "itemType": "date", "delimiter": " / "}""", "2024-01-01 / 2024-12-31", null },
        { """{"name": "c", "type": "list", "x-ingest-noSpacesAroundDelimiter": true}""", "a, b", ErrorCodes.InvalidValue },
        { """{"name": "c", "type": "list", "x-ingest-noSpacesAroundDelimiter": true}""", "a,,b", null },
        // A lexical pattern constrains how any type is written.
        { """{"name": "c", "type": "integer", "x-ingest-lexicalPattern": "[0-9]{3}"}""", "007", null },
        { """{"name": "c", "type": "integer", "x-ingest-lexicalPattern": "[0-9]{3}"}""", "7", ErrorCodes.InvalidValue },
        // Missing values are the contract's; \N is text unless declared.
        { """{"name": "c", "type": "string", "constraints": {"required": true}}""", "\\N", ErrorCodes.NullNotAllowed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_value_is_judged_by_the_declared_type_and_constraints(string fieldJson, string value, string? expected) =>
        Assert.Equal(expected, Verdict(Column(fieldJson), value));

    [Fact]
    public void Missing_values_are_the_contracts_and_required_refuses_each()
    {
        var required = Column("""{"name": "c", "type": "integer", "constraints": {"required": true}}""", """["", "NA"]""");
        Assert.Equal(ErrorCodes.NullNotAllowed, Verdict(required, "NA"));
        Assert.Equal(ErrorCodes.NullNotAllowed, Verdict(required, ""));
        Assert.Equal(ErrorCodes.InvalidValue, Verdict(required, "\\N"));
        Assert.Equal("c may not be null (an empty field or NA).", required.Describe(ErrorCodes.NullNotAllowed));
        var optional = Column("""{"name": "c", "type": "integer"}""", """["", "NA"]""");
        Assert.Null(Verdict(optional, "NA"));
        var text = Column("""{"name": "c", "type": "string", "constraints": {"required": true, "minLength": 1}}""", """["NULL"]""");
        Assert.Equal(ColumnRule.Text, text.Rule);
        Assert.Equal(4, text.TextCheckBytes); // so the engine looks at 4-byte text
        Assert.Equal(ErrorCodes.NullNotAllowed, Verdict(text, "NULL"));
    }

    [Theory]
    [InlineData("""{"name": "c", "type": "integer", "constraints": {"minimum": 1, "maximum": 5}}""", "c is not a valid integer: expected a whole number from 1 to 5.")]
    [InlineData("""{"name": "c", "type": "number", "constraints": {"exclusiveMinimum": 0}}""", "c is not a valid number: expected a number with '.' as its decimal point above 0.")]
    [InlineData("""{"name": "c", "type": "date", "format": "%d/%m/%Y", "constraints": {"maximum": "31/12/2030"}}""", "c is not a valid date: expected a date written dd/mm/yyyy at most 31/12/2030.")]
    [InlineData("""{"name": "c", "type": "boolean"}""", "c is not a valid boolean: expected one of true, True, TRUE, 1 for true, or one of false, False, FALSE, 0 for false.")]
    [InlineData("""{"name": "c", "type": "string", "constraints": {"pattern": "[A-Z]{2}", "maxLength": 2}}""", "c is not valid: expected text of at most 2 characters matching [A-Z]{2}.")]
    [InlineData("""{"name": "c", "type": "list", "delimiter": ";", "itemType": "integer", "constraints": {"minLength": 1}}""", "c is not a valid list: expected items separated by ';' of at least 1 items, each item a whole number.")]
    public void An_error_message_says_what_the_contract_expects(string fieldJson, string message) =>
        Assert.Equal(message, Column(fieldJson).Describe(ErrorCodes.InvalidValue));

    [Fact]
    public void The_generic_rule_gives_the_fast_rules_verdicts_on_every_shipped_column()
    {
        var random = new Random(23);
        string[] extra = ["-0", "+1", "-1", "10.00", "10.01", "07.5", "000.5", "1e1", "NaN", "tt123456", "Drama, Music", "Drama ,Music", " Drama"];
        foreach (var column in SchemaCatalog.BuiltIn.Datasets.SelectMany(d => d.Columns).DistinctBy(c => c.Name))
        {
            var fast = new CompiledColumn(column);
            var generic = new CompiledColumn(column with { Rule = ColumnRule.Generic });
            var values = Enumerable.Range(0, 5000).Select(_ => MaskedRuleTests.Field(random)).Concat(extra.Select(Encoding.Latin1.GetBytes));
            foreach (var value in values)
            {
                var expected = fast.CheckValue(value);
                var actual = generic.CheckValue(value);
                Assert.True(expected == actual, $"{column.Name} '{Encoding.Latin1.GetString(value)}': fast {expected ?? "valid"}, generic {actual ?? "valid"}");
            }
        }
    }
}
