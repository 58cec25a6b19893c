using System.Text.Json.Nodes;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Tests.Contracts;

/// <summary>Contract files for tests: the shipped ones as JSON to alter, and small ones written inline.</summary>
internal static class TestContracts
{
    /// <summary>The shipped contracts folder, as copied beside the test assembly.</summary>
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, ContractFolder.FolderName);

    /// <summary>A shipped contract (movies.json, series.json) as a JSON tree to change.</summary>
    public static JsonObject Shipped(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(ShippedFolder, file)))!.AsObject();

    /// <summary>Reads a contract and requires it to be valid.</summary>
    public static DatasetSchema Read(string json, string file = "test.json")
    {
        var (dataset, problems) = ContractReader.Read(json, file);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return dataset!;
    }

    /// <summary>A contract of one dataset with these fields, unquoted with the given delimiter.</summary>
    public static string Unquoted(string name, char delimiter, string fieldsJson, string missingValues = "[\"\"]", string extra = "") => $$"""
        {
          "name": "{{name}}",
          {{extra}}
          "dialect": { "delimiter": "{{delimiter}}", "x-ingest-noQuoting": true },
          "schema": { "missingValues": {{missingValues}}, "fields": [ {{fieldsJson}} ] }
        }
        """;

    /// <summary>The shipped Movies or Series contract in a quoted dialect: comma-separated, '"' quoting (DataGen's --quoted files).</summary>
    public static DatasetSchema Quoted(string file)
    {
        var contract = Shipped(file);
        contract["dialect"] = new JsonObject { ["delimiter"] = ",", ["quoteChar"] = "\"" };
        return Read(contract.ToJsonString(), file);
    }

    /// <summary>A catalog of the given datasets.</summary>
    public static SchemaCatalog Catalog(params DatasetSchema[] datasets) => new(datasets);
}
