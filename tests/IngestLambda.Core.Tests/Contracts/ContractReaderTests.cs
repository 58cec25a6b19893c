using System.Text.Json.Nodes;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Tests.Contracts;

/// <summary>
/// A broken contract is refused with its file, where in it, and what is wrong; never a silent default. Each case below
/// breaks the shipped Movies contract in one way.
/// </summary>
public class ContractReaderTests
{
    private static JsonObject Field(JsonObject contract, int index) => contract["schema"]!["fields"]![index]!.AsObject();

    /// <summary>A way to break the contract, where the reader must say the problem is, and words its message must hold.</summary>
    private static readonly Dictionary<string, (Action<JsonObject> Break, string Where, string Says)> Cases = new()
    {
        ["missing name"] = (c => c.Remove("name"), "name", "is missing"),
        ["name not a folder"] = (c => c["name"] = "Mo/vies", "name", "must be 1 to 64 ASCII letters"),
        ["missing schema"] = (c => c.Remove("schema"), "schema", "is missing"),
        ["unknown type"] = (c => Field(c, 3)["type"] = "yaer", "schema.fields[3] (anoLancamento).type", "'yaer' is not a Table Schema type"),
        ["unsupported type"] = (c => Field(c, 3)["type"] = "datetime", "schema.fields[3] (anoLancamento).type", "'datetime' is not supported"),
        ["misspelt property"] = (c => Field(c, 0)["contraints"] = new JsonObject(), "schema.fields[0] (id).contraints", "would be silently lost"),
        ["unknown x-ingest property"] = (c => Field(c, 5)["x-ingest-noSpaces"] = true, "schema.fields[5] (genero).x-ingest-noSpaces", "is not an x-ingest- property"),
        ["unsupported constraint"] = (c => Field(c, 0)["constraints"]!["unique"] = true, "schema.fields[0] (id).constraints.unique", "is not supported"),
        ["bound on text"] = (c => Field(c, 1)["constraints"]!["minimum"] = 3, "schema.fields[1] (tituloPincipal).constraints.minimum", "does not apply to a string field"),
        ["bound not of the type"] = (c => Field(c, 4)["constraints"]!["minimum"] = "ten", "schema.fields[4] (tempoMinutos).constraints.minimum", "'ten' is not a valid integer"),
        ["fractional integer bound"] = (c => Field(c, 4)["constraints"]!["maximum"] = 2.5, "schema.fields[4] (tempoMinutos).constraints.maximum", "'2.5' is not a valid integer"),
        ["broken pattern"] = (c => Field(c, 0)["constraints"]!["pattern"] = "tt[0-9", "schema.fields[0] (id).constraints.pattern", "is not a usable regular expression"),
        ["backtracking pattern"] = (c => Field(c, 0)["constraints"]!["pattern"] = @"(t)\1[0-9]+", "schema.fields[0] (id).constraints.pattern", "is not a usable regular expression"),
        ["same column twice"] = (c => Field(c, 2)["name"] = "tituloPincipal", "schema.fields", "'tituloPincipal' is used 2 times"),
        ["no fields"] = (c => c["schema"]!["fields"] = new JsonArray(), "schema.fields", "1 to 64 field descriptors"),
        ["too many fields"] = (c => c["schema"]!["fields"] = new JsonArray([.. Enumerable.Range(0, 65).Select(i => (JsonNode)new JsonObject { ["name"] = $"c{i}" })]), "schema.fields", "1 to 64"),
        ["long delimiter"] = (c => c["dialect"]!["delimiter"] = "||", "dialect.delimiter", "must be exactly one ASCII character"),
        ["line feed delimiter"] = (c => c["dialect"]!["delimiter"] = "\n", "dialect.delimiter", "cannot separate fields"),
        ["escape character"] = (c => c["dialect"]!["escapeChar"] = "\\", "dialect.escapeChar", "is not supported"),
        ["null sequence"] = (c => c["dialect"]!["nullSequence"] = "NULL", "dialect.nullSequence", "declare null spellings in the schema's missingValues"),
        ["no header"] = (c => c["dialect"]!["header"] = false, "dialect.header", "must be true"),
        ["other line terminator"] = (c => c["dialect"]!["lineTerminator"] = ";", "dialect.lineTerminator", "LF or CRLF"),
        ["quoting and no quoting"] = (c => c["dialect"]!["quoteChar"] = "'", "dialect.x-ingest-noQuoting", "contradicts quoteChar"),
        ["primary key not a field"] = (c => c["schema"]!["primaryKey"] = new JsonArray("nope"), "schema.primaryKey", "names 'nope', which is not a field"),
        ["unique keys"] = (c => c["schema"]!["uniqueKeys"] = new JsonArray(new JsonArray("id")), "schema.uniqueKeys", "bounded memory"),
        ["list property on text"] = (c => Field(c, 1)["delimiter"] = ";", "schema.fields[1] (tituloPincipal).delimiter", "applies only to list fields"),
        ["list delimiter is the file's"] = (c => Field(c, 5)["delimiter"] = "|", "schema.fields[5] (genero).delimiter", "contains the dialect's delimiter"),
        ["date format directive"] = (c => { Field(c, 3)["type"] = "date"; Field(c, 3)["format"] = "%Y-%m-%dT%H"; }, "schema.fields[3] (anoLancamento).format", "'%H' is not supported"),
        ["format on a year"] = (c => Field(c, 3)["format"] = "%Y", "schema.fields[3] (anoLancamento).format", "only 'default'"),
        ["landing prefix absolute"] = (c => c["x-ingest-landingPrefix"] = "/ratings/", "x-ingest-landingPrefix", "must be a folder below the landing prefix"),
        ["other encoding"] = (c => c["encoding"] = "latin1", "encoding", "only 'utf-8' is supported"),
        ["lengths crossed"] = (c => { Field(c, 1)["constraints"]!["minLength"] = 5; Field(c, 1)["constraints"]!["maxLength"] = 2; }, "schema.fields[1] (tituloPincipal).constraints", "minLength 5 is above maxLength 2"),
        ["required on list items"] = (c => Field(c, 5)["x-ingest-itemConstraints"]!["required"] = true, "schema.fields[5] (genero).x-ingest-itemConstraints.required", "never null"),
        ["missing values not strings"] = (c => c["schema"]!["missingValues"] = new JsonArray(1), "schema.missingValues", "array of strings"),
        ["enum empty"] = (c => Field(c, 8)["constraints"]!["enum"] = new JsonArray(), "schema.fields[8] (generoArtista).constraints.enum", "non-empty array"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_broken_contract_is_refused_naming_its_file_where_and_what(string name)
    {
        var (breakIt, where, says) = Cases[name];
        var contract = TestContracts.Shipped("movies.json");
        breakIt(contract);

        var (dataset, problems) = ContractReader.Read(contract.ToJsonString(), "movies.json");

        Assert.Null(dataset);
        Assert.Contains(problems, p => p.File == "movies.json" && p.Where == where && p.Problem.Contains(says, StringComparison.Ordinal));
        Assert.All(problems, p => Assert.StartsWith("movies.json: ", p.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Text_that_is_not_json_is_named_with_the_parser_position()
    {
        var (dataset, problems) = ContractReader.Read("{ \"name\": \"Movies\", ", "broken.json");
        Assert.Null(dataset);
        var problem = Assert.Single(problems);
        Assert.Equal("broken.json", problem.File);
        Assert.Contains("is not valid JSON", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_a_file_is_named_in_one_reading()
    {
        var contract = TestContracts.Shipped("movies.json");
        foreach (var name in new[] { "unknown type", "misspelt property", "escape character" })
            Cases[name].Break(contract);
        var (_, problems) = ContractReader.Read(contract.ToJsonString(), "movies.json");
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void Informational_properties_and_other_tools_extensions_are_allowed()
    {
        var contract = TestContracts.Shipped("movies.json");
        contract["licenses"] = new JsonArray(new JsonObject { ["name"] = "CC0-1.0" });
        contract["x-other-tool"] = "kept for it";
        Field(contract, 0)["description"] = "The title's IMDB id.";
        Field(contract, 0)["example"] = "tt0000009";
        contract["dialect"]!["sheetName"] = "ignored for CSV";
        Assert.Equal("Movies", TestContracts.Read(contract.ToJsonString()).Name);
    }

    [Fact]
    public void A_primary_key_makes_its_fields_required()
    {
        var dataset = TestContracts.Read(TestContracts.Unquoted("Keys", ';', """{"name": "a", "type": "integer"}, {"name": "b"}""", extra: ""));
        Assert.True(dataset.Columns[0].Nullable);
        var keyed = TestContracts.Shipped("movies.json");
        keyed["schema"]!["primaryKey"] = new JsonArray("id", "anoLancamento");
        var columns = TestContracts.Read(keyed.ToJsonString()).Columns.ToDictionary(c => c.Name);
        Assert.False(columns["anoLancamento"].Nullable);
        Assert.Equal(["id", "anoLancamento"], TestContracts.Read(keyed.ToJsonString()).PrimaryKey);
    }

    [Fact]
    public void Two_contracts_claiming_one_header_or_one_name_are_refused_together()
    {
        var movies = TestContracts.Read(TestContracts.Shipped("movies.json").ToJsonString(), "movies.json");
        var twin = movies with { Name = "Films", Source = "films.json" };
        var problem = Assert.Single(Assert.Throws<ContractException>(() => new SchemaCatalog([movies, twin])).Problems);
        Assert.Equal("movies.json and films.json", problem.File);
        Assert.Contains("Movies and Films have the same header", problem.Problem, StringComparison.Ordinal);

        var sameName = movies with { Columns = [.. movies.Columns.Take(3)], Source = "other.json" };
        var named = Assert.Single(Assert.Throws<ContractException>(() => new SchemaCatalog([movies, sameName])).Problems);
        Assert.Contains("names more than one dataset", named.Problem, StringComparison.Ordinal);

        // Distinct landing prefixes make the same header two datasets.
        Assert.Equal(2, new SchemaCatalog([movies, twin with { LandingPrefix = "films/" }]).Datasets.Count);
    }

    [Fact]
    public void A_folder_names_each_bad_file_and_a_missing_or_empty_folder_is_a_problem_too()
    {
        var folder = Directory.CreateTempSubdirectory("contracts-").FullName;
        try
        {
            Assert.Contains("holds no contract", Assert.Single(ContractFolder.Check(folder).Problems).Problem, StringComparison.Ordinal);
            Assert.Contains("is not a folder", Assert.Single(ContractFolder.Check(Path.Combine(folder, "none")).Problems).Problem, StringComparison.Ordinal);

            File.Copy(Path.Combine(TestContracts.ShippedFolder, "movies.json"), Path.Combine(folder, "movies.json"));
            var broken = TestContracts.Shipped("series.json");
            Field(broken, 3)["type"] = "yaer";
            File.WriteAllText(Path.Combine(folder, "series.json"), broken.ToJsonString());
            var (datasets, problems) = ContractFolder.Check(folder);
            Assert.Equal(["Movies"], datasets.Select(d => d.Name));
            var problem = Assert.Single(problems);
            Assert.Equal(Path.Combine(folder, "series.json"), problem.File);
            var thrown = Assert.Throws<ContractException>(() => SchemaCatalog.Load(folder));
            Assert.Contains("series.json: schema.fields[3] (anoLancamento).type", thrown.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
