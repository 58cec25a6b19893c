using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Generate;

/// <summary>
/// template.yaml's copies of the contracts, written from their one source (docs/analytics.md "Generated sections"):
/// the dataset contracts (contracts/) give the Glue tables and the manifests table's dataset folders; the SQL files give the
/// named queries.
/// </summary>
internal static class TemplateGenerator
{
    public const string DatasetTables = "dataset tables";
    public const string DatasetNames = "dataset names";
    public const string NamedQueries = "named queries";

    /// <summary>The template with each generated section rewritten; the rest is kept as it is.</summary>
    public static string Generate(string template, SchemaCatalog catalog) =>
        GeneratedSections.Rewrite(template, new Dictionary<string, Func<IEnumerable<string>>>(StringComparer.Ordinal)
        {
            [DatasetTables] = () => GlueTables.DatasetTables(catalog),
            [DatasetNames] = () => GlueTables.DatasetNames(catalog),
            [NamedQueries] = () => AthenaQueries.Resources(catalog),
        });
}
