using System.Text.RegularExpressions;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Template;

/// <summary>
/// The analytics half of template.yaml (issue #10): one Glue table per dataset contract (contracts/), read the way docs/contracts.md
/// ("Format") defines the files, partition projection on the date folder, the Athena workgroup, and named queries whose
/// text is the repository's SQL files behind the documented Athena engine layer. (The tables and queries are generated,
/// GeneratedTemplateTests; these tests check what the generated text must say.)
/// </summary>
public sealed partial class AnalyticsTemplateTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Load(Path.Combine(RepoPaths.Root, "template.yaml"));

    private static readonly string SqlFolder = Path.Combine(RepoPaths.Root, "src", "IngestLambda.Analytics", "Sql");

    public static TheoryData<string> Datasets => [.. SchemaCatalog.BuiltIn.Datasets.Select(d => d.Name)];

    private static CfnEvaluator Custom => new(Template, new Dictionary<string, string>
    {
        ["LakeBucketName"] = "acme-data-lake",
        ["LandingPrefix"] = "inbox/csv/",
        ["RawPrefix"] = "lake/raw/",
        ["ManifestPrefix"] = "lake/manifests/",
        ["AthenaResultsPrefix"] = "lake/athena/",
        ["GlueDatabaseName"] = "acme_lake",
    });

    private static IEnumerable<(string Id, Dictionary<string, object?> Properties)> ResourcesOfType(string type) =>
        Template.Resources.Where(r => (string?)CfnTemplate.Map(r.Value)["Type"] == type)
            .Select(r => (r.Key, Template.Properties(r.Key)));

    private static Dictionary<string, object?> TableInput(string tableName) =>
        CfnTemplate.Map(ResourcesOfType("AWS::Glue::Table")
            .Select(t => CfnTemplate.Map(t.Properties["TableInput"]))
            .Single(input => (string?)input["Name"] == tableName));

    private static Dictionary<string, object?> Storage(string tableName) => CfnTemplate.Map(TableInput(tableName)["StorageDescriptor"]);

    [Fact]
    public void There_is_a_raw_and_a_trusted_table_per_dataset_and_one_over_the_manifests()
    {
        var tables = ResourcesOfType("AWS::Glue::Table").Select(t => (string)CfnTemplate.Map(t.Properties["TableInput"])["Name"]!).Order();
        var datasets = SchemaCatalog.BuiltIn.Datasets.Select(d => d.Name.ToLowerInvariant()).ToList();
        Assert.Equal(datasets.Concat(datasets.Select(d => d + "_trusted")).Append("manifests").Order(), tables);
        foreach (var (_, properties) in ResourcesOfType("AWS::Glue::Table"))
            Assert.Equal("<res:LakeDatabase>", new CfnEvaluator(Template).String(properties["DatabaseName"]));
        var database = CfnTemplate.Map(Template.Properties("LakeDatabase")["DatabaseInput"]);
        Assert.Equal("ingestlambda", new CfnEvaluator(Template).String(database["Name"]));
        Assert.Equal("acme_lake", Custom.String(database["Name"]));
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void A_datasets_columns_are_its_schemas_in_order_typed_by_rule(string dataset)
    {
        // The rule -> type mapping itself is checked in Core (ColumnTypesTests).
        var schema = SchemaCatalog.BuiltIn.Datasets.Single(d => d.Name == dataset);
        var columns = CfnTemplate.List(Storage(dataset.ToLowerInvariant())["Columns"]).Select(CfnTemplate.Map)
            .Select(c => ((string)c["Name"]!, (string)c["Type"]!)).ToList();
        Assert.Equal(schema.Columns.Select(c => (c.Name, ColumnTypes.Glue(c.Type))), columns);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void A_dataset_table_reads_pipes_without_quoting_with_backslash_N_as_null_and_skips_the_header(string dataset)
    {
        var storage = Storage(dataset.ToLowerInvariant());
        var serde = CfnTemplate.Map(storage["SerdeInfo"]);
        Assert.Equal("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", serde["SerializationLibrary"]);
        var parameters = CfnTemplate.Map(serde["Parameters"]);
        Assert.Equal("|", parameters["field.delim"]);
        // Two characters, backslash and N: in double quotes YAML would have made it U+0085.
        Assert.Equal("\\N", parameters["serialization.null.format"]);
        Assert.False(parameters.ContainsKey("escape.delim"), "a backslash in a field is text, not an escape");
        Assert.DoesNotContain("OpenCSVSerde", File.ReadAllText(Path.Combine(RepoPaths.Root, "template.yaml")).Replace("# Not OpenCSVSerde", "", StringComparison.Ordinal));
        Assert.Equal("org.apache.hadoop.mapred.TextInputFormat", storage["InputFormat"]);
        Assert.Equal("1", CfnTemplate.Map(TableInput(dataset.ToLowerInvariant())["Parameters"])["skip.header.line.count"]);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void A_dataset_table_projects_its_date_folders_up_to_now(string dataset)
    {
        var input = TableInput(dataset.ToLowerInvariant());
        var partitionKeys = CfnTemplate.List(input["PartitionKeys"]).Select(CfnTemplate.Map).Select(k => ((string)k["Name"]!, (string)k["Type"]!));
        Assert.Equal([("dt", "string")], partitionKeys);
        var parameters = CfnTemplate.Map(input["Parameters"]);
        Assert.Equal("true", parameters["projection.enabled"]);
        Assert.Equal("date", parameters["projection.dt.type"]);
        Assert.Equal("yyyy/MM/dd", parameters["projection.dt.format"]);
        Assert.Matches(@"^\d{4}/\d{2}/\d{2},NOW$", (string)parameters["projection.dt.range"]!);
        Assert.Equal("DAYS", parameters["projection.dt.interval.unit"]);

        var defaults = new CfnEvaluator(Template);
        Assert.Equal($"s3://<res:LakeBucket>/Raw/Local/CSV/{dataset}/${{dt}}/", defaults.String(parameters["storage.location.template"]));
        Assert.Equal($"s3://<res:LakeBucket>/Raw/Local/CSV/{dataset}/", defaults.String(Storage(dataset.ToLowerInvariant())["Location"]));
        Assert.Equal($"s3://<res:LakeBucket>/lake/raw/{dataset}/${{dt}}/", Custom.String(parameters["storage.location.template"]));
    }

    [Fact]
    public void The_manifests_table_reads_JSON_below_the_manifest_prefix_by_dataset_and_date()
    {
        var input = TableInput("manifests");
        var storage = Storage("manifests");
        Assert.Equal("org.openx.data.jsonserde.JsonSerDe", CfnTemplate.Map(storage["SerdeInfo"])["SerializationLibrary"]);
        var parameters = CfnTemplate.Map(input["Parameters"]);
        Assert.Equal(string.Join(',', SchemaCatalog.BuiltIn.Datasets.Select(d => d.Name)), parameters["projection.ds.values"]);
        Assert.Equal("s3://<res:LakeBucket>/lake/manifests/${ds}/${dt}/", Custom.String(parameters["storage.location.template"]));
        var columns = CfnTemplate.List(storage["Columns"]).Select(c => (string)CfnTemplate.Map(c)["Name"]!).ToList();
        Assert.Contains("validation", columns);
        Assert.Contains("source", columns);
    }

    [Fact]
    public void The_workgroup_runs_engine_3_with_encrypted_results_outside_landing_and_raw_and_a_scan_cutoff()
    {
        var properties = Template.Properties("AnalyticsWorkGroup");
        Assert.Equal("true", properties["RecursiveDeleteOption"]);
        var configuration = CfnTemplate.Map(properties["WorkGroupConfiguration"]);
        Assert.Equal("Athena engine version 3", CfnTemplate.Map(configuration["EngineVersion"])["SelectedEngineVersion"]);
        Assert.Equal("true", configuration["EnforceWorkGroupConfiguration"]);
        Assert.True(long.Parse(new CfnEvaluator(Template).String(configuration["BytesScannedCutoffPerQuery"])) > 0);
        var results = CfnTemplate.Map(configuration["ResultConfiguration"]);
        Assert.Equal("SSE_S3", CfnTemplate.Map(results["EncryptionConfiguration"])["EncryptionOption"]);
        foreach (var evaluator in new[] { new CfnEvaluator(Template), Custom })
        {
            var location = evaluator.String(results["OutputLocation"]);
            Assert.StartsWith("s3://<res:LakeBucket>/", location);
            var prefix = location["s3://<res:LakeBucket>/".Length..];
            Assert.NotEmpty(prefix);
            Assert.False(prefix.StartsWith(evaluator.Parameter("LandingPrefix"), StringComparison.Ordinal), location);
            Assert.False(prefix.StartsWith(evaluator.Parameter("RawPrefix"), StringComparison.Ordinal), location);
        }
    }

    [Fact]
    public void Each_question_file_is_one_named_query_behind_the_athena_engine_layer()
    {
        var queries = ResourcesOfType("AWS::Athena::NamedQuery").ToDictionary(q => (string)q.Properties["Name"]!, q => q.Properties);
        var files = Directory.GetFiles(SqlFolder, "*.sql").ToDictionary(path => Path.GetFileNameWithoutExtension(path)!, File.ReadAllText);
        Assert.Equal(files.Keys.Order(), queries.Keys.Order());
        foreach (var (name, sql) in files)
        {
            var question = Body(sql);
            Assert.StartsWith("WITH ", question);
            // The engine layer: the Athena snapshot CTE first, then the question's own CTEs (its WITH becomes a comma).
            var text = Normalize((string)queries[name]["QueryString"]!);
            Assert.StartsWith("WITH snapshot_rows AS ( SELECT ", text);
            Assert.EndsWith("), " + Normalize(question["WITH ".Length..]), text);
            Assert.Equal("<res:LakeDatabase>", new CfnEvaluator(Template).String(queries[name]["Database"]));
            Assert.Equal("<res:AnalyticsWorkGroup>", new CfnEvaluator(Template).String(queries[name]["WorkGroup"]));
        }
    }

    [Fact]
    public void The_athena_layer_reads_every_datasets_newest_date_partition_of_the_trusted_zone()
    {
        foreach (var (_, query) in ResourcesOfType("AWS::Athena::NamedQuery"))
        {
            var text = Normalize((string)query["QueryString"]!);
            foreach (var dataset in SchemaCatalog.BuiltIn.Datasets)
            {
                var table = dataset.Name.ToLowerInvariant() + "_trusted";
                Assert.Contains($"SELECT '{dataset.Name}' AS dataset, id, genero,", text);
                Assert.Contains($"FROM {table} WHERE dt = (SELECT max(dt) FROM {table})", text);
            }
        }
    }

    /// <summary>The SQL without its comment lines.</summary>
    private static string Body(string sql) =>
        string.Join('\n', sql.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim();

    private static string Normalize(string sql) => Whitespace().Replace(sql, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
