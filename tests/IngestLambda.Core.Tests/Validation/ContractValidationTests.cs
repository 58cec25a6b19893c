using System.Text;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Tests.Contracts;
using IngestLambda.Core.Validation;
using static IngestLambda.Core.Tests.Validation.TestFiles;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// Whole files against contracts other than the IMDB feeds': another delimiter, generic rules, the contract's missing
/// values, and a header that two contracts claim. Every file is fed in every segmentation (<see cref="ValidatorTests.Check"/>).
/// </summary>
public class ContractValidationTests
{
    private static readonly DatasetSchema Readings = TestContracts.Read(TestContracts.Unquoted("Readings", ';', """
        {"name": "sensor", "type": "string", "constraints": {"required": true, "pattern": "S[0-9]{3}"}},
        {"name": "day", "type": "date"},
        {"name": "value", "type": "number", "constraints": {"minimum": -50, "maximum": 60}},
        {"name": "ok", "type": "boolean"},
        {"name": "note", "type": "string"}
        """, missingValues: """["", "NA"]"""));

    private static ValidationOptions With(params DatasetSchema[] datasets) => Options() with { Schemas = TestContracts.Catalog(datasets) };

    [Fact]
    public void A_semicolon_file_with_generic_rules_is_accepted_and_the_pipe_is_ordinary_text()
    {
        var data = Encoding.UTF8.GetBytes("sensor;day;value;ok;note\nS001;2026-11-26;-12.5;true;a|b\nS002;;NA;0;\n");
        var result = ValidatorTests.Check(data, With(Readings));
        Assert.True(result.Accepted, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal("Readings", result.Dataset);
        Assert.Equal(2, result.Rows);
    }

    [Fact]
    public void A_generic_error_names_its_line_column_offset_and_what_the_contract_expects()
    {
        var data = Encoding.UTF8.GetBytes("sensor;day;value;ok;note\nS001;2026-11-26;-12.5;true;x\nS002;2026-11-31;61;maybe;x\nNA;2026-01-01;1;1;x\n");
        var result = ValidatorTests.Check(data, With(Readings));
        Assert.False(result.Accepted);
        var line3 = 25 + 29; // the header's and line 2's bytes, line feeds included
        Assert.Equal(
        [
            (3L, "day", line3 + 5L, ErrorCodes.InvalidValue, "day is not a valid date: expected a date written yyyy-mm-dd."),
            (3L, "value", line3 + 16L, ErrorCodes.InvalidValue, "value is not a valid number: expected a number with '.' as its decimal point from -50 to 60."),
            (3L, "ok", line3 + 19L, ErrorCodes.InvalidValue, "ok is not a valid boolean: expected one of true, True, TRUE, 1 for true, or one of false, False, FALSE, 0 for false."),
            (4L, "sensor", line3 + 27L, ErrorCodes.NullNotAllowed, "sensor may not be null (an empty field or NA)."),
        ], result.Errors.Select(e => (e.Line, e.Column, e.ByteOffset, e.Code, e.Message)));
        Assert.Equal("2026-11-31", result.Errors[0].Excerpt);
    }

    [Fact]
    public void A_field_count_error_counts_the_contracts_delimiter()
    {
        var result = ValidatorTests.Check(Encoding.UTF8.GetBytes("sensor;day;value;ok;note\nS001;2026-11-26;1;true\n"), With(Readings));
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.FieldCount, error.Code);
        Assert.Equal("Expected 5 fields (Readings), found 4.", error.Message);
    }

    [Fact]
    public void An_unknown_header_is_compared_with_each_contract_in_its_own_delimiter()
    {
        var result = ValidatorTests.Check(Encoding.UTF8.GetBytes("sensor;day;valor;ok;note\nS001;2026-11-26;1;true;x\n"),
            With([.. SchemaCatalog.BuiltIn.Datasets, Readings]));
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.UnknownHeader, error.Code);
        Assert.Equal("value", error.Column);
        Assert.Contains("Closest is Readings (4 of 5 columns match): column 3 is 'valor', expected 'value'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_two_contracts_claim_is_rejected_naming_both_unless_the_landing_path_tells_them_apart()
    {
        var vendorA = Readings with { Name = "ReadingsA", LandingPrefix = "vendor-a/", Source = "contracts/readings-a.json" };
        var everywhere = Readings with { Name = "Readings", Source = "contracts/readings.json" };
        var catalog = TestContracts.Catalog(vendorA, everywhere);
        var data = Encoding.UTF8.GetBytes("sensor;day;value;ok;note\nS001;2026-11-26;1;true;x\n");

        var ambiguous = ValidatorTests.Check(data, Options() with { Schemas = catalog.ForLandingPath("vendor-a/day.csv") });
        Assert.False(ambiguous.Accepted);
        Assert.Null(ambiguous.Dataset);
        var error = Assert.Single(ambiguous.Errors);
        Assert.Equal(ErrorCodes.AmbiguousDataset, error.Code);
        Assert.Equal(1, error.Line);
        Assert.Contains("ReadingsA (readings-a.json) and Readings (readings.json)", error.Message, StringComparison.Ordinal);

        var elsewhere = ValidatorTests.Check(data, Options() with { Schemas = catalog.ForLandingPath("vendor-b/day.csv") });
        Assert.True(elsewhere.Accepted);
        Assert.Equal("Readings", elsewhere.Dataset);
    }

    [Fact]
    public void No_contract_for_the_landing_path_is_an_unknown_header_that_says_so()
    {
        var only = TestContracts.Catalog(Readings with { LandingPrefix = "sensors/" });
        var result = ValidatorTests.Check(Encoding.UTF8.GetBytes("sensor;day;value;ok;note\nS001;2026-11-26;1;true;x\n"),
            Options() with { Schemas = only.ForLandingPath("other/x.csv") });
        Assert.Equal(ErrorCodes.UnknownHeader, Assert.Single(result.Errors).Code);
        Assert.Contains("No dataset contract applies", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_column_sees_a_longer_missing_value_however_long_the_others_are()
    {
        var dataset = TestContracts.Read(TestContracts.Unquoted("Names", ',', """
            {"name": "name", "type": "string", "constraints": {"required": true}},
            {"name": "alias", "type": "string"}
            """, missingValues: """["NULL"]"""));
        var result = ValidatorTests.Check(Encoding.UTF8.GetBytes("name,alias\nAda,NULL\nNULL,x\n"), With(dataset));
        var error = Assert.Single(result.Errors);
        Assert.Equal((3L, "name", ErrorCodes.NullNotAllowed), (error.Line, error.Column, error.Code));
    }
}
