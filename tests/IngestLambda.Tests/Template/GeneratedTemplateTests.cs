using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;
using IngestLambda.Generate;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Template;

/// <summary>
/// template.yaml's generated sections (tools/IngestLambda.Generate, <c>make generate</c>): the committed file is what the
/// generator writes, a hand edit inside a section is written over, and a new dataset needs no edit of the template.
/// </summary>
public sealed class GeneratedTemplateTests
{
    private static readonly string Committed = File.ReadAllText(Path.Combine(RepoPaths.Root, "template.yaml"));

    [Fact]
    public void The_committed_template_is_what_make_generate_writes()
    {
        var generated = TemplateGenerator.Generate(Committed, SchemaCatalog.BuiltIn);
        Assert.True(generated == Committed,
            "template.yaml's generated sections differ from the dataset contracts (contracts/) and src/IngestLambda.Analytics/Sql/: "
            + $"run `make generate` and commit template.yaml. {FirstDifference(Committed, generated)}");
    }

    [Fact]
    public void A_hand_edit_inside_a_section_is_written_over_and_one_outside_is_kept()
    {
        const string column = "- { Name: notaMedia, Type: double }";
        Assert.Contains(column, Committed);
        var edited = Committed
            .Replace(column, "- { Name: notaMedia, Type: string }", StringComparison.Ordinal)
            .Replace("Outputs:\n", "# a note of the operator's\nOutputs:\n", StringComparison.Ordinal);

        var generated = TemplateGenerator.Generate(edited, SchemaCatalog.BuiltIn);

        Assert.Equal(Committed.Replace("Outputs:\n", "# a note of the operator's\nOutputs:\n", StringComparison.Ordinal), generated);
    }

    [Fact]
    public void A_new_dataset_gets_its_table_joins_the_manifest_folders_and_is_asked_the_questions()
    {
        var movies = SchemaCatalog.BuiltIn.Datasets.Single(d => d.Name == "Movies");
        var shorts = new DatasetSchema
        {
            Name = "Shorts",
            Columns = [.. movies.Columns, new ColumnSchema { Name = "festival", Rule = ColumnRule.Text, Nullable = true }],
        };
        var template = CfnTemplate.Parse(TemplateGenerator.Generate(Committed, new SchemaCatalog([.. SchemaCatalog.BuiltIn.Datasets, shorts])));

        var input = CfnTemplate.Map(template.Properties("ShortsTable")["TableInput"]);
        Assert.Equal("shorts", input["Name"]);
        var columns = CfnTemplate.List(CfnTemplate.Map(input["StorageDescriptor"])["Columns"]).Select(CfnTemplate.Map)
            .Select(c => ((string)c["Name"]!, (string)c["Type"]!)).ToList();
        Assert.Equal(16, columns.Count);
        Assert.Equal(("anoLancamento", "int"), columns[3]);
        Assert.Equal(("notaMedia", "double"), columns[6]);
        Assert.Equal(("festival", "string"), columns[^1]);
        Assert.Equal("s3://<res:LakeBucket>/Raw/Local/CSV/Shorts/${dt}/",
            new CfnEvaluator(template).String(CfnTemplate.Map(input["Parameters"])["storage.location.template"]));

        var trusted = CfnTemplate.Map(template.Properties("ShortsTrustedTable")["TableInput"]);
        Assert.Equal("shorts_trusted", trusted["Name"]);
        var trustedStorage = CfnTemplate.Map(trusted["StorageDescriptor"]);
        Assert.Equal(columns, CfnTemplate.List(trustedStorage["Columns"]).Select(CfnTemplate.Map).Select(c => ((string)c["Name"]!, (string)c["Type"]!)));
        Assert.Equal("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", CfnTemplate.Map(trustedStorage["SerdeInfo"])["SerializationLibrary"]);
        Assert.Equal("s3://<res:LakeBucket>/Trusted/Local/Parquet/Shorts/${dt}/",
            new CfnEvaluator(template).String(CfnTemplate.Map(trusted["Parameters"])["storage.location.template"]));

        var manifests = CfnTemplate.Map(CfnTemplate.Map(template.Properties("ManifestsTable")["TableInput"])["Parameters"]);
        Assert.Equal("Movies,Series,Shorts", manifests["projection.ds.values"]);

        foreach (var query in NamedQueries(template))
        {
            Assert.Contains("SELECT 'Shorts' AS dataset,", query);
            Assert.Contains("FROM shorts_trusted\n    WHERE dt = (SELECT max(dt) FROM shorts_trusted)", query);
        }
    }

    [Fact]
    public void A_quoted_dataset_is_read_by_OpenCSVSerde_with_its_delimiter_and_quote_and_an_unquoted_one_by_LazySimpleSerDe()
    {
        var quoted = new DatasetSchema
        {
            Name = "Ratings",
            Dialect = new CsvDialect { Delimiter = ',', QuoteChar = '"' },
            Columns = [new ColumnSchema { Name = "userId", Rule = ColumnRule.WholeNumber }, new ColumnSchema { Name = "title", Rule = ColumnRule.Text }],
        };
        var template = CfnTemplate.Parse(TemplateGenerator.Generate(Committed, new SchemaCatalog([.. SchemaCatalog.BuiltIn.Datasets, quoted])));

        var serde = CfnTemplate.Map(CfnTemplate.Map(CfnTemplate.Map(template.Properties("RatingsTable")["TableInput"])["StorageDescriptor"])["SerdeInfo"]);
        Assert.Equal("org.apache.hadoop.hive.serde2.OpenCSVSerde", serde["SerializationLibrary"]);
        Assert.Equal((",", "\""), ((string)CfnTemplate.Map(serde["Parameters"])["separatorChar"]!, (string)CfnTemplate.Map(serde["Parameters"])["quoteChar"]!));
        var movies = CfnTemplate.Map(CfnTemplate.Map(CfnTemplate.Map(template.Properties("MoviesTable")["TableInput"])["StorageDescriptor"])["SerdeInfo"]);
        Assert.Equal("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", movies["SerializationLibrary"]);
        Assert.Equal(("|", "\\N"), ((string)CfnTemplate.Map(movies["Parameters"])["field.delim"]!, (string)CfnTemplate.Map(movies["Parameters"])["serialization.null.format"]!));
    }

    [Fact]
    public void A_dataset_without_the_columns_the_questions_read_gets_its_table_but_is_not_asked()
    {
        var ratings = new DatasetSchema
        {
            Name = "Ratings",
            Columns =
            [
                new ColumnSchema { Name = "tconst", Rule = ColumnRule.Id },
                new ColumnSchema { Name = "averageRating", Rule = ColumnRule.Rating },
                new ColumnSchema { Name = "numVotes", Rule = ColumnRule.WholeNumber },
            ],
        };
        var template = CfnTemplate.Parse(TemplateGenerator.Generate(Committed, new SchemaCatalog([.. SchemaCatalog.BuiltIn.Datasets, ratings])));

        var storage = CfnTemplate.Map(CfnTemplate.Map(template.Properties("RatingsTable")["TableInput"])["StorageDescriptor"]);
        Assert.Equal(
            [("tconst", "string"), ("averageRating", "double"), ("numVotes", "bigint")],
            CfnTemplate.List(storage["Columns"]).Select(CfnTemplate.Map).Select(c => ((string)c["Name"]!, (string)c["Type"]!)));
        foreach (var query in NamedQueries(template))
        {
            Assert.DoesNotContain("ratings", query);
            Assert.Contains("FROM series_trusted", query);
        }
    }

    [Fact]
    public void A_dataset_name_that_cannot_name_a_resource_is_an_error()
    {
        var movies = SchemaCatalog.BuiltIn.Datasets.Single(d => d.Name == "Movies");
        var bad = new DatasetSchema { Name = "vendor-a", Columns = [.. movies.Columns.Take(3)] };

        var e = Assert.Throws<InvalidDataException>(() => TemplateGenerator.Generate(Committed, new SchemaCatalog([movies, bad])));

        Assert.Contains("Dataset 'vendor-a' cannot name a Glue table", e.Message);
    }

    [Theory]
    [InlineData("  # END GENERATED: named queries\n", "", "has no '# END GENERATED: named queries' line")]
    [InlineData("# BEGIN GENERATED: dataset names (make generate; do not edit)", "# BEGIN GENERATED: dataset name (make generate; do not edit)", "unknown generated section 'dataset name'")]
    [InlineData("# BEGIN GENERATED: dataset names (make generate; do not edit)", "# BEGIN GENERATED: dataset names", "a generated section's first line reads")]
    [InlineData("  # BEGIN GENERATED: named queries (make generate; do not edit)\n", "", "closes no open section")]
    public void A_broken_marker_is_an_error_that_names_its_line(string find, string replace, string expected)
    {
        Assert.Contains(find, Committed);
        var broken = Committed.Replace(find, replace, StringComparison.Ordinal);

        var e = Assert.Throws<InvalidDataException>(() => TemplateGenerator.Generate(broken, SchemaCatalog.BuiltIn));

        Assert.Contains(expected, e.Message);
        Assert.StartsWith("line ", e.Message);
    }

    [Fact]
    public void A_template_without_a_section_is_an_error_that_says_how_to_mark_it()
    {
        var start = Committed.IndexOf("  # BEGIN GENERATED: named queries", StringComparison.Ordinal);
        var end = Committed.IndexOf("  # END GENERATED: named queries\n", StringComparison.Ordinal) + "  # END GENERATED: named queries\n".Length;

        var e = Assert.Throws<InvalidDataException>(() => TemplateGenerator.Generate(Committed.Remove(start, end - start), SchemaCatalog.BuiltIn));

        Assert.Equal("No generated section 'named queries': mark where it goes with '# BEGIN GENERATED: <name> (make generate; do not edit)' and '# END GENERATED: <name>'.", e.Message);
    }

    private static IEnumerable<string> NamedQueries(CfnTemplate template) =>
        template.Resources.Keys.Where(id => (string?)template.Resource(id)["Type"] == "AWS::Athena::NamedQuery")
            .Select(id => (string)template.Properties(id)["QueryString"]!);

    private static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
        return $"First difference at line {line + 1}: committed '{(line < a.Length ? a[line] : "(end)")}', generated '{(line < b.Length ? b[line] : "(end)")}'.";
    }
}
