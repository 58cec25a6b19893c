using System.Text;
using IngestLambda.Core.Contracts.Inference;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Tests.Validation;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Contracts;

/// <summary>
/// <c>contract infer</c> drafts a contract from a sample in one pass. On the IMDB samples the draft is the shipped
/// contract up to what a 2,000-row sample cannot show: the IMDB-specific patterns (ids, the rating's written form),
/// the domain's bounds (the sample's range is narrower) and nulls in columns where the sample happens to have none.
/// </summary>
public class ContractInferenceTests
{
    private static string Sample(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "samples", file);
            if (File.Exists(path))
                return path;
        }
        throw new FileNotFoundException(file);
    }

    private static async Task<(DatasetSchema Draft, ContractInference.Draft Result)> InferAsync(byte[] sample, string name, char? delimiter = null)
    {
        var result = await ContractInference.InferAsync(new MemoryStream(sample), name, delimiter);
        return (TestContracts.Read(result.Json), result);
    }

    [Theory]
    [InlineData("movies.csv", "Movies")]
    [InlineData("series.csv", "Series")]
    public async Task On_the_IMDB_samples_it_drafts_the_shipped_contract_up_to_what_a_sample_cannot_show(string file, string name)
    {
        var bytes = await File.ReadAllBytesAsync(Sample(file));
        var (draft, result) = await InferAsync(bytes, name);
        var shipped = SchemaCatalog.BuiltIn.Datasets.Single(d => d.Name == name);
        var lines = Encoding.UTF8.GetString(bytes).TrimEnd('\n').Split('\n')[1..].Select(l => l.Split('|')).ToArray();

        Assert.Equal((name, 2000L, 0L), (draft.Name, result.Rows, result.SkippedRows));
        Assert.Equal(shipped.Dialect, draft.Dialect); // '|' without quoting: a quote stands mid-field or none is seen
        Assert.Equal(shipped.Header, draft.Header);
        for (var c = 0; c < shipped.Columns.Count; c++)
        {
            var (expected, actual) = (shipped.Columns[c], draft.Columns[c]);
            var because = $"{name}.{expected.Name}";
            Assert.True(expected.Type == actual.Type, $"{because}: type {actual.Type}, shipped {expected.Type}");
            Assert.Equal(expected.ItemType, actual.ItemType);
            Assert.Equal(expected.MissingValues, actual.MissingValues);
            // Nullable exactly where the sample has a \N; the shipped contract allows more nulls than a sample shows.
            Assert.True(lines.Any(l => l[c] == @"\N") == actual.Nullable, because);
            Assert.True(!actual.Nullable || expected.Nullable, because);
            if (actual.Type is LogicalType.Integer or LogicalType.Number)
                Assert.True(DecimalTextAtLeast(actual.Constraints.Minimum!, expected.Constraints.Minimum ?? "0"), because); // inside the shipped range
            if (expected.Rule is ColumnRule.List)
            {
                Assert.Equal(ColumnRule.List, actual.Rule); // non-empty items, and the spaces rule where the sample shows it
                Assert.True(!expected.NoSpacesAroundCommas || actual.NoSpacesAroundCommas, because);
            }
            if (expected.Rule is ColumnRule.Enum)
                Assert.Equal(expected.Values, actual.Values);
            if (expected.Rule is ColumnRule.Text && !expected.AllowEmpty)
                Assert.Equal((ColumnRule.Text, false), (actual.Rule, actual.AllowEmpty));
        }
        // What only IMDB knows: ids are 'tt' and digits, and a rating is written with a dot from 0.0 to 10.0.
        var columns = draft.Columns.ToDictionary(c => c.Name);
        Assert.Null(columns["id"].Constraints.Pattern);
        Assert.Null(columns["notaMedia"].LexicalPattern);
        Assert.Null(columns["titulosMaisConhecidos"].ItemConstraints.Pattern);

        // The draft is a working contract: the sample it came from passes it.
        var check = CsvValidator.Validate(bytes, TestFiles.Options() with { Schemas = TestContracts.Catalog(draft) });
        Assert.True(check.Accepted, string.Join("; ", check.Errors.Select(e => e.Message)));
    }

    private static bool DecimalTextAtLeast(string value, string bound) =>
        decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) >= decimal.Parse(bound, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_quoted_sample_gives_a_quoted_dialect_with_dates_booleans_empty_text_and_its_nulls()
    {
        var sample = Encoding.UTF8.GetBytes(
            "userId,title,rating,ratedOn,liked,note\r\n" +
            string.Concat(Enumerable.Range(1, 40).Select(i =>
                $"{i},\"Title, part {i}\",{i % 9 / 2.0 + 0.5:0.0},2026-11-{i % 28 + 1:00},{(i % 2 == 0 ? "true" : "false")},{(i % 5 == 0 ? "" : "\"a \"\"note\"\"\"")}\r\n")) +
            "41,\"Two\nlines\",,,true,x\r\n");
        var (draft, result) = await InferAsync(sample, "Ratings");

        Assert.Equal(new CsvDialect { Delimiter = ',', QuoteChar = '"' }, draft.Dialect);
        Assert.Equal(41, result.Rows);
        var c = draft.Columns.ToDictionary(x => x.Name);
        Assert.Equal((LogicalType.Integer, false, "1", "41"), (c["userId"].Type, c["userId"].Nullable, c["userId"].Constraints.Minimum, c["userId"].Constraints.Maximum));
        Assert.Equal((LogicalType.String, false, ColumnRule.Text, false), (c["title"].Type, c["title"].Nullable, c["title"].Rule, c["title"].AllowEmpty));
        Assert.Equal((LogicalType.Number, true), (c["rating"].Type, c["rating"].Nullable));
        Assert.Equal((LogicalType.Date, true, "2026-11-01", "2026-11-28"), (c["ratedOn"].Type, c["ratedOn"].Nullable, c["ratedOn"].Constraints.Minimum, c["ratedOn"].Constraints.Maximum));
        Assert.Equal((LogicalType.Boolean, false), (c["liked"].Type, c["liked"].Nullable));
        Assert.Equal([""], c["note"].MissingValues); // empty is null where a column is typed, so in every column
        Assert.True(c["note"].Nullable);
        Assert.True(CsvValidator.Validate(sample, TestFiles.Options() with { Schemas = TestContracts.Catalog(draft) }).Accepted);
    }

    [Fact]
    public async Task The_delimiter_can_be_given_and_rows_of_another_field_count_are_left_out()
    {
        var (draft, result) = await InferAsync(Encoding.UTF8.GetBytes("a;b\n1;x\n2;y;extra\n3;z"), "Semi", ';');
        Assert.Equal((';', 2L, 1L), (draft.Dialect.Delimiter, result.Rows, result.SkippedRows));
        Assert.Equal([LogicalType.Integer, LogicalType.String], draft.Columns.Select(c => c.Type));
        await Assert.ThrowsAsync<InvalidDataException>(() => ContractInference.InferAsync(new MemoryStream(), "Empty"));
    }
}
