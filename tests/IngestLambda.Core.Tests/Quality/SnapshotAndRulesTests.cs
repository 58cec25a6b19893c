using IngestLambda.Core.Profiling;
using IngestLambda.Core.Quality;

namespace IngestLambda.Core.Tests.Quality;

/// <summary>How a day's several files make one snapshot, and how the rules file reads.</summary>
public class SnapshotAndRulesTests
{
    [Fact]
    public void Two_files_of_a_day_combine_as_docs_contracts_md_says()
    {
        var first = new FileProfile
        {
            Rows = 100, DistinctIds = 40,
            Columns = new Dictionary<string, ColumnStats>
            {
                ["notaMedia"] = new() { Nulls = 10, Empties = 0, Distinct = 50, Min = 2, Max = 8, Mean = 5 },
                ["titulo"] = new() { Distinct = 40, MinBytes = 3, MaxBytes = 9 },
                ["genero"] = new() { Nulls = 1, Distinct = 5, Top = [new("Drama", 30), new("Comedy", 20)] },
            },
        };
        var second = new FileProfile
        {
            Rows = 300, DistinctIds = 110,
            Columns = new Dictionary<string, ColumnStats>
            {
                ["notaMedia"] = new() { Nulls = 0, Empties = 0, Distinct = 70, Min = 1, Max = 7, Mean = 7 },
                ["titulo"] = new() { Empties = 2, Distinct = 100, MinBytes = 1, MaxBytes = 5 },
                ["genero"] = new() { Distinct = 6, Top = [new("Comedy", 50), new("Horror", 5)] },
            },
        };

        var day = Snapshot.Combine("Movies", new DateOnly(2026, 11, 26), [first, second]);

        Assert.Equal(2, day.Files);
        Assert.Equal(400, day.Profile.Rows);
        Assert.Equal(150, day.Profile.DistinctIds);
        var rating = day.Profile.Columns["notaMedia"];
        Assert.Equal((10L, 70L, 1.0, 8.0), (rating.Nulls, rating.Distinct, rating.Min!.Value, rating.Max!.Value));
        Assert.Equal((90 * 5 + 300 * 7) / 390.0, rating.Mean!.Value, precision: 12);
        Assert.Equal((2L, 1, 9), (day.Profile.Columns["titulo"].Empties, day.Profile.Columns["titulo"].MinBytes!.Value, day.Profile.Columns["titulo"].MaxBytes!.Value));
        Assert.Equal([new TopItem("Comedy", 70), new TopItem("Drama", 30), new TopItem("Horror", 5)], day.Profile.Columns["genero"].Top);
        Assert.Null(day.Profile.Columns["genero"].Mean);
    }

    [Fact]
    public void The_shipped_rules_file_reads_and_keeps_the_built_in_thresholds()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "IngestLambda.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");

        var shipped = DriftRules.Parse(File.ReadAllText(Path.Combine(root, "contracts", "quality", "drift-rules.json")));

        Assert.Equal(DriftRules.Default with { IgnoreColumns = shipped.IgnoreColumns }, shipped);
        Assert.Equal(["titulosMaisConhecidos"], shipped.IgnoreColumns);
    }

    [Fact]
    public void A_rules_file_may_set_some_thresholds_and_keeps_the_defaults_for_the_rest()
    {
        var rules = DriftRules.Parse("""{ "nullRatePoints": 5 }""");
        Assert.Equal(DriftRules.Default with { NullRatePoints = 5, IgnoreColumns = rules.IgnoreColumns }, rules);
    }

    [Theory]
    [InlineData("""{ "nullRatePoint": 5 }""", "nullRatePoint")]
    [InlineData("""{ "rowsPercent": -1 }""", "rowsPercent must be a number of 0 or more")]
    [InlineData("""{ "rowsPercent": "ten" }""", "not a rules object")]
    [InlineData("null", "JSON null")]
    [InlineData("{ ", "not a rules object")]
    public void A_bad_rules_file_is_an_error_that_says_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => DriftRules.Parse(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
