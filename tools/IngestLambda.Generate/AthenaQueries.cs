using IngestLambda.Analytics.Sql;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Generate;

/// <summary>
/// One Athena named query per question of src/IngestLambda.Analytics/Sql/: the Athena engine layer
/// (Sql/Engines/athena-snapshot.sql, once per dataset) followed by the question's own CTEs, the text DuckDB runs
/// behind its own layer (docs/analytics.md "The engine layer").
/// </summary>
internal static class AthenaQueries
{
    private const string LayerTemplate = "athena-snapshot";
    private const string SqlFolder = "src/IngestLambda.Analytics/Sql";

    /// <summary>The named query resources, one blank line apart.</summary>
    public static IEnumerable<string> Resources(SchemaCatalog catalog)
    {
        var layer = SnapshotLayer(catalog);
        return Yaml.Blocks(QuestionSql.Names.Select(name => Resource(name, layer)));
    }

    /// <summary>What Athena runs for a question: the snapshot layer, then the question's CTEs (its WITH becomes a comma).</summary>
    public static string NamedQuery(string question, SchemaCatalog catalog) => Compose(question, SnapshotLayer(catalog));

    /// <summary>
    /// <c>WITH snapshot_rows AS (…)</c> over the trusted (Parquet) tables, which Athena scans by column: the layer's
    /// SELECT for every dataset that has each column the questions read
    /// (a dataset without them has its table but is not asked about), joined by UNION ALL.
    /// </summary>
    public static string SnapshotLayer(SchemaCatalog catalog)
    {
        var select = QuestionSql.Body(QuestionSql.LoadEngine(LayerTemplate));
        var asked = catalog.Datasets
            .Where(d => QuestionSql.SnapshotColumns.All(column => d.Columns.Any(c => c.Name == column)))
            .ToList();
        if (asked.Count == 0)
        {
            throw new InvalidDataException(
                $"No dataset has every column the questions read ({string.Join(", ", QuestionSql.SnapshotColumns)}): the named queries would read nothing.");
        }
        var selects = asked.Select(d => Indent(select
            .Replace("{dataset}", d.Name, StringComparison.Ordinal)
            .Replace("{table}", GlueTables.TrustedTableName(d), StringComparison.Ordinal)
            .Replace("{columns}", string.Join(", ", QuestionSql.SnapshotColumns), StringComparison.Ordinal)));
        return "WITH snapshot_rows AS (\n" + string.Join("\n    UNION ALL\n", selects) + "\n)";
    }

    private static string Compose(string question, string layer)
    {
        var body = QuestionSql.Body(QuestionSql.Load(question));
        if (!body.StartsWith("WITH ", StringComparison.Ordinal))
            throw new InvalidDataException($"{SqlFolder}/{question}.sql must start with WITH (after its comments): the Athena layer goes before its CTEs.");
        return layer + ",\n" + body["WITH ".Length..];
    }

    private static IEnumerable<string> Resource(string question, string layer)
    {
        if (!GlueTables.ResourceName().IsMatch(question))
            throw new InvalidDataException($"{SqlFolder}/{question}.sql: a question's file name names a resource: letters and digits, starting with a letter.");
        string[] head =
        [
            $"{char.ToUpperInvariant(question[0])}{question[1..]}Query:",
            "  Type: AWS::Athena::NamedQuery",
            "  Properties:",
            $"    Name: {question}",
            $"    Description: {Yaml.Scalar($"{Title(question)} (each dataset's newest day; {SqlFolder}/{question}.sql)")}",
            "    Database: !Ref LakeDatabase",
            "    WorkGroup: !Ref AnalyticsWorkGroup",
            "    QueryString: |",
        ];
        return head.Concat(Compose(question, layer).Split('\n').Select(line => line.TrimEnd() is { Length: > 0 } text ? "      " + text : ""));
    }

    /// <summary>The question as its file's first comment line asks it ("Q1. What is …?").</summary>
    private static string Title(string question)
    {
        var first = QuestionSql.Load(question).Split('\n')[0].Trim();
        if (!first.StartsWith("--", StringComparison.Ordinal) || first.TrimStart('-').Trim().Length == 0)
            throw new InvalidDataException($"{SqlFolder}/{question}.sql must start with a comment line that asks its question.");
        return first.TrimStart('-').Trim();
    }

    private static string Indent(string sql) => string.Join('\n', sql.Split('\n').Select(line => "    " + line));
}
