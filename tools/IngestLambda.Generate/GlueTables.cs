using System.Text.RegularExpressions;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Generate;

/// <summary>
/// Two Glue tables per dataset, over its raw-zone folder (CSV, read as the files are written: docs/contracts.md
/// "Format") and its trusted-zone folder (Parquet), columns in header order and typed by <see cref="ColumnTypes"/>,
/// partition projection on the date folder (docs/analytics.md "The tables"). Also the dataset folders the manifests
/// table projects.
/// </summary>
internal static partial class GlueTables
{
    /// <summary>The resource of each dataset's table, one blank line apart.</summary>
    public static IEnumerable<string> DatasetTables(SchemaCatalog catalog)
    {
        CheckNames(catalog);
        return Yaml.Blocks(catalog.Datasets.Select(RawTable).Concat(catalog.Datasets.Select(TrustedTable)));
    }

    /// <summary>The manifests table's <c>ds</c> partition values: every dataset folder.</summary>
    public static IEnumerable<string> DatasetNames(SchemaCatalog catalog)
    {
        CheckNames(catalog);
        yield return "projection.ds.values: " + Yaml.Scalar(string.Join(',', catalog.Datasets.Select(d => d.Name)));
    }

    /// <summary>A dataset's raw-zone Glue (and Athena) table: its name in lower case.</summary>
    public static string TableName(DatasetSchema dataset) => dataset.Name.ToLowerInvariant();

    /// <summary>A dataset's trusted-zone (Parquet) table: <c>&lt;name in lower case&gt;_trusted</c>. The named queries read these.</summary>
    public static string TrustedTableName(DatasetSchema dataset) => TableName(dataset) + "_trusted";

    private static IEnumerable<string> RawTable(DatasetSchema dataset)
    {
        var name = dataset.Name;
        var quoting = dataset.Dialect.QuoteChar is { } quote ? $"'{quote}' quoting" : "no quoting";
        var nulls = string.Join(" or ", dataset.Columns[0].MissingValues.Select(value => $"'{value}'"));
        string[] head =
        [
            .. Head($"{name}Table", TableName(dataset), $"{name} files as filed in the raw zone ('{dataset.Dialect.Delimiter}', {quoting}, {nulls} null, one header line); dt is the date folder.",
                "csv", "RawPrefix", name),
            "        InputFormat: org.apache.hadoop.mapred.TextInputFormat",
            "        OutputFormat: org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            .. dataset.Dialect.QuoteChar is null ? UnquotedSerDe(dataset) : QuotedSerDe(dataset),
            "        Columns:",
        ];
        return head.Concat(Columns(dataset));
    }

    /// <summary>
    /// No quoting (the IMDB feeds): LazySimpleSerDe, not OpenCSVSerde, which treats '"' as a quote and '\N' as text;
    /// no escape.delim, so a backslash is text. The first missing value reads as null.
    /// </summary>
    private static string[] UnquotedSerDe(DatasetSchema dataset)
    {
        var delimiter = Yaml.Quoted(dataset.Dialect.Delimiter.ToString());
        return
        [
            "        # Not OpenCSVSerde: it treats '\"' as a quote and '\\N' as text. No escape.delim: a backslash is text.",
            "        SerdeInfo:",
            "          SerializationLibrary: org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
            "          Parameters:",
            $"            field.delim: {delimiter}",
            $"            serialization.format: {delimiter}",
            $"            serialization.null.format: {Yaml.Quoted(dataset.Columns[0].MissingValues is [var first, ..] ? first : "")}",
        ];
    }

    /// <summary>RFC 4180 quoting: OpenCSVSerde with the contract's delimiter and quote ("" inside quotes is one quote).</summary>
    private static string[] QuotedSerDe(DatasetSchema dataset) =>
    [
        "        SerdeInfo:",
        "          SerializationLibrary: org.apache.hadoop.hive.serde2.OpenCSVSerde",
        "          Parameters:",
        $"            separatorChar: {Yaml.Quoted(dataset.Dialect.Delimiter.ToString())}",
        $"            quoteChar: {Yaml.Quoted(dataset.Dialect.QuoteChar!.Value.ToString())}",
    ];

    private static IEnumerable<string> TrustedTable(DatasetSchema dataset)
    {
        var name = dataset.Name;
        string[] head =
        [
            .. Head($"{name}TrustedTable", TrustedTableName(dataset), $"{name} as typed Parquet in the trusted zone, one file per accepted file; dt is the date folder.",
                "parquet", "TrustedPrefix", name),
            "        InputFormat: org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "        OutputFormat: org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "        SerdeInfo:",
            "          SerializationLibrary: org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            "        Columns:",
        ];
        return head.Concat(Columns(dataset));
    }

    /// <summary>What both zones' tables share: the name, the date partition projected over the zone's dataset folder.</summary>
    private static string[] Head(string resource, string table, string description, string classification, string prefixParameter, string folder) =>
    [
        $"{resource}:",
        "  Type: AWS::Glue::Table",
        "  Properties:",
        "    CatalogId: !Ref AWS::AccountId",
        "    DatabaseName: !Ref LakeDatabase",
        "    TableInput:",
        $"      Name: {table}",
        $"      Description: {Yaml.Scalar(description)}",
        "      TableType: EXTERNAL_TABLE",
        "      Parameters:",
        $"        classification: {classification}",
        .. classification == "csv" ? ["        skip.header.line.count: '1'"] : Array.Empty<string>(),
        "        projection.enabled: 'true'",
        "        projection.dt.type: date",
        "        projection.dt.format: yyyy/MM/dd",
        "        projection.dt.range: 2020/01/01,NOW",
        "        projection.dt.interval: '1'",
        "        projection.dt.interval.unit: DAYS",
        $"        storage.location.template: !Sub 's3://${{LakeBucket}}/${{{prefixParameter}}}{folder}/${{!dt}}/'",
        "      PartitionKeys:",
        "        - Name: dt",
        "          Type: string",
        "      StorageDescriptor:",
        $"        Location: !Sub 's3://${{LakeBucket}}/${{{prefixParameter}}}{folder}/'",
    ];

    private static IEnumerable<string> Columns(DatasetSchema dataset) =>
        dataset.Columns.Select(c => $"          - {{ Name: {Yaml.FlowScalar(c.Name)}, Type: {ColumnTypes.Glue(c.Type)} }}");

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
