using System.Text.RegularExpressions;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Generate;

/// <summary>
/// One Glue table per dataset over its raw-zone folder, columns in header order and typed by
/// <see cref="ColumnTypes"/>, read as the files are written (docs/contracts.md "Format"), partition projection on the
/// date folder (docs/analytics.md "The tables"). Also the dataset folders the manifests table projects.
/// </summary>
internal static partial class GlueTables
{
    /// <summary>The resource of each dataset's table, one blank line apart.</summary>
    public static IEnumerable<string> DatasetTables(SchemaCatalog catalog)
    {
        CheckNames(catalog);
        return Yaml.Blocks(catalog.Datasets.Select(Table));
    }

    /// <summary>The manifests table's <c>ds</c> partition values: every dataset folder.</summary>
    public static IEnumerable<string> DatasetNames(SchemaCatalog catalog)
    {
        CheckNames(catalog);
        yield return "projection.ds.values: " + Yaml.Scalar(string.Join(',', catalog.Datasets.Select(d => d.Name)));
    }

    /// <summary>A dataset's Glue (and Athena) table: its name in lower case.</summary>
    public static string TableName(DatasetSchema dataset) => dataset.Name.ToLowerInvariant();

    private static IEnumerable<string> Table(DatasetSchema dataset)
    {
        var name = dataset.Name;
        string[] head =
        [
            $"{name}Table:",
            "  Type: AWS::Glue::Table",
            "  Properties:",
            "    CatalogId: !Ref AWS::AccountId",
            "    DatabaseName: !Ref LakeDatabase",
            "    TableInput:",
            $"      Name: {TableName(dataset)}",
            $"      Description: {Yaml.Scalar($"{name} files as filed in the raw zone ('|', no quoting, '\\N' null, one header line); dt is the date folder.")}",
            "      TableType: EXTERNAL_TABLE",
            "      Parameters:",
            "        classification: csv",
            "        skip.header.line.count: '1'",
            "        projection.enabled: 'true'",
            "        projection.dt.type: date",
            "        projection.dt.format: yyyy/MM/dd",
            "        projection.dt.range: 2020/01/01,NOW",
            "        projection.dt.interval: '1'",
            "        projection.dt.interval.unit: DAYS",
            $"        storage.location.template: !Sub 's3://${{LakeBucket}}/${{RawPrefix}}{name}/${{!dt}}/'",
            "      PartitionKeys:",
            "        - Name: dt",
            "          Type: string",
            "      StorageDescriptor:",
            $"        Location: !Sub 's3://${{LakeBucket}}/${{RawPrefix}}{name}/'",
            "        InputFormat: org.apache.hadoop.mapred.TextInputFormat",
            "        OutputFormat: org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            "        # Not OpenCSVSerde: it treats '\"' as a quote and '\\N' as text. No escape.delim: a backslash is text.",
            "        SerdeInfo:",
            "          SerializationLibrary: org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
            "          Parameters:",
            "            field.delim: '|'",
            "            serialization.format: '|'",
            // Single quotes: in double quotes YAML would read \N as U+0085.
            "            serialization.null.format: '\\N'",
            "        Columns:",
        ];
        return head.Concat(dataset.Columns.Select(c => $"          - {{ Name: {Yaml.FlowScalar(c.Name)}, Type: {ColumnTypes.Glue(c.Type)} }}"));
    }

    /// <summary>
    /// A dataset's name becomes a CloudFormation logical id, a Glue table name and an S3 folder in a !Sub: letters and
    /// digits only, and no two datasets may share a table (names are compared in lower case, as Glue does).
    /// </summary>
    private static void CheckNames(SchemaCatalog catalog)
    {
        foreach (var dataset in catalog.Datasets)
        {
            if (!ResourceName().IsMatch(dataset.Name))
                throw new InvalidDataException($"Dataset '{dataset.Name}' cannot name a Glue table: use letters and digits, starting with a letter.");
        }
        var twin = catalog.Datasets.GroupBy(TableName).FirstOrDefault(g => g.Count() > 1);
        if (twin is not null)
            throw new InvalidDataException($"Datasets {string.Join(" and ", twin.Select(d => d.Name))} would share the Glue table '{twin.Key}'.");
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*$")]
    internal static partial Regex ResourceName();
}
