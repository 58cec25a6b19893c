using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Tests.Contracts;

/// <summary>
/// The shipped contracts (contracts/movies.json, contracts/series.json) in standard terms must amount to the rules the
/// IMDB feeds have always had, on the fast checks: same headers, dialect, nulls, and one fast rule per column.
/// </summary>
public class ShippedContractTests
{
    private static readonly Dictionary<string, (ColumnRule Rule, bool Nullable, LogicalType Type)> Expected = new()
    {
        ["id"] = (ColumnRule.Id, false, LogicalType.String),
        ["tituloPincipal"] = (ColumnRule.Text, false, LogicalType.String),
        ["tituloOriginal"] = (ColumnRule.Text, false, LogicalType.String),
        ["anoLancamento"] = (ColumnRule.Year, true, LogicalType.Year),
        ["anoTermino"] = (ColumnRule.Year, true, LogicalType.Year),
        ["tempoMinutos"] = (ColumnRule.WholeNumber, true, LogicalType.Integer),
        ["genero"] = (ColumnRule.List, true, LogicalType.List),
        ["notaMedia"] = (ColumnRule.Rating, true, LogicalType.Number),
        ["numeroVotos"] = (ColumnRule.WholeNumber, true, LogicalType.Integer),
        ["generoArtista"] = (ColumnRule.Enum, true, LogicalType.String),
        ["personagem"] = (ColumnRule.Text, true, LogicalType.String),
        ["nomeArtista"] = (ColumnRule.Text, false, LogicalType.String),
        ["anoNascimento"] = (ColumnRule.Year, true, LogicalType.Year),
        ["anoFalecimento"] = (ColumnRule.Year, true, LogicalType.Year),
        ["profissao"] = (ColumnRule.List, true, LogicalType.List),
        ["titulosMaisConhecidos"] = (ColumnRule.IdList, true, LogicalType.List),
    };

    [Fact]
    public void Both_feeds_load_with_the_exact_headers_and_the_pipe_unquoted_dialect()
    {
        var datasets = SchemaCatalog.BuiltIn.Datasets.ToDictionary(d => d.Name);
        Assert.Equal(["Movies", "Series"], datasets.Keys.Order());
        foreach (var dataset in datasets.Values)
        {
            Assert.Equal(CsvDialect.PipeUnquoted, dataset.Dialect);
            Assert.Null(dataset.LandingPrefix);
            Assert.EndsWith($"{dataset.Name.ToLowerInvariant()}.json", dataset.Source);
            Assert.All(dataset.Columns, c => Assert.Equal([@"\N"], c.MissingValues));
        }
        Assert.Equal(Validation.TestFiles.MoviesHeader, datasets["Movies"].Header);
        Assert.Equal(Validation.TestFiles.SeriesHeader, datasets["Series"].Header);
    }

    [Fact]
    public void Every_column_compiles_to_its_fast_rule_with_the_nulls_and_type_of_before()
    {
        foreach (var column in SchemaCatalog.BuiltIn.Datasets.SelectMany(d => d.Columns))
        {
            var (rule, nullable, type) = Expected[column.Name];
            Assert.True(rule == column.Rule, $"{column.Name}: {column.Rule}, expected {rule}");
            Assert.True(nullable == column.Nullable, $"{column.Name}: nullable {column.Nullable}");
            Assert.Equal(type, column.Type);
        }
        var movies = SchemaCatalog.BuiltIn.Datasets.Single(d => d.Name == "Movies").Columns.ToDictionary(c => c.Name);
        Assert.True(movies["genero"].NoSpacesAroundCommas);
        Assert.False(movies["profissao"].NoSpacesAroundCommas);
        Assert.True(movies["personagem"].AllowEmpty);
        Assert.False(movies["tituloPincipal"].AllowEmpty);
        Assert.Equal(["actor", "actress"], movies["generoArtista"].Values);
        Assert.Equal(LogicalType.String, movies["genero"].ItemType);
    }

    [Fact]
    public void A_landing_prefix_narrows_the_candidates_and_a_catalog_without_prefixes_is_kept_as_is()
    {
        var catalog = SchemaCatalog.BuiltIn;
        Assert.Same(catalog, catalog.ForLandingPath("vendor/movies.csv"));

        var ratings = TestContracts.Read(TestContracts.Unquoted("Ratings", ';', """{"name": "a"}""", extra: "\"x-ingest-landingPrefix\": \"ratings/\","));
        var withPrefix = TestContracts.Catalog([.. catalog.Datasets, ratings]);
        Assert.Equal(["Movies", "Series", "Ratings"], withPrefix.ForLandingPath("ratings/2026/r.csv").Datasets.Select(d => d.Name));
        Assert.Equal(["Movies", "Series"], withPrefix.ForLandingPath("movies.csv").Datasets.Select(d => d.Name));
        Assert.Equal(["Movies", "Series"], withPrefix.ForLandingPath("ratingsX/r.csv").Datasets.Select(d => d.Name));
    }
}
