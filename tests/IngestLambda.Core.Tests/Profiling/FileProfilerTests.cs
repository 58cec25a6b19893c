using System.Globalization;
using System.Text;
using System.Text.Json;
using IngestLambda.Core.Profiling;
using IngestLambda.Core.Reports;
using IngestLambda.Core.Validation;
using IngestLambda.DataGen;

namespace IngestLambda.Core.Tests.Profiling;

/// <summary>Every figure of a file's profile against an exact computation over the same generated file.</summary>
public class FileProfilerTests
{
    private static readonly HashSet<string> Numeric = ["anoLancamento", "anoTermino", "tempoMinutos", "notaMedia", "numeroVotos", "anoNascimento", "anoFalecimento"];
    private static readonly HashSet<string> Lists = ["genero", "profissao", "titulosMaisConhecidos"];

    internal static ProfiledColumn[] Kinds(Dataset dataset) =>
    [
        .. SyntheticCsv.Columns(dataset).Select(name => new ProfiledColumn(name,
            Numeric.Contains(name) ? ColumnKind.Numeric : Lists.Contains(name) ? ColumnKind.List : ColumnKind.Text)),
    ];

    /// <summary>Feeds the profiler the file's bytes field by field, as the validation pass does.</summary>
    internal static FileProfile Profile(Dataset dataset, byte[] file)
    {
        var profiler = new FileProfiler(Kinds(dataset));
        var lines = file.AsSpan();
        var header = true;
        foreach (var lineRange in lines.Split((byte)'\n'))
        {
            var line = lines[lineRange];
            if (header || line.IsEmpty)
            {
                header = false;
                continue;
            }
            var column = 0;
            foreach (var fieldRange in line.Split((byte)'|'))
                profiler.Field(column++, line[fieldRange]);
            profiler.EndRecord();
        }
        return profiler.Result();
    }

    [Theory]
    [InlineData(Dataset.Movies, 21)]
    [InlineData(Dataset.Series, 22)]
    public void Every_figure_matches_an_exact_computation_over_the_same_file(Dataset dataset, int seed)
    {
        const int rowCount = 20_000;
        var rows = SyntheticCsv.Rows(dataset, seed).Take(rowCount).ToArray();
        var profile = Profile(dataset, SyntheticCsv.ToBytes(dataset, rows));

        Assert.Equal(rowCount, profile.Rows);
        var exactIds = rows.Select(r => r[0]).Distinct().Count();
        Assert.True(exactIds < rowCount, "rows repeat per credited artist");
        AssertWithin2Percent(exactIds, profile.DistinctIds!.Value);
        var columns = SyntheticCsv.Columns(dataset);
        Assert.Equal(columns, profile.Columns.Keys);
        for (var c = 0; c < columns.Count; c++)
        {
            var name = columns[c];
            var values = rows.Select(r => r[c]).ToArray();
            var present = values.Where(v => v is not (@"\N" or "")).ToArray();
            var stats = profile.Columns[name];
            Assert.Equal(values.Count(v => v == @"\N"), stats.Nulls);
            Assert.Equal(values.Count(v => v.Length == 0), stats.Empties);
            AssertWithin2Percent(present.Distinct().Count(), stats.Distinct);
            if (Numeric.Contains(name))
            {
                var numbers = present.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                Assert.Equal(numbers.Min(), stats.Min);
                Assert.Equal(numbers.Max(), stats.Max);
                Assert.Equal(numbers.Average(), stats.Mean!.Value, precision: 9);
                Assert.Null(stats.MinBytes);
            }
            else if (Lists.Contains(name))
            {
                var items = present.SelectMany(v => v.Split(',')).GroupBy(i => i)
                    .Select(g => new TopItem(g.Key, g.LongCount()))
                    .OrderByDescending(t => t.Count).ThenBy(t => t.Value, StringComparer.Ordinal).Take(20).ToArray();
                if (name != "titulosMaisConhecidos") // ids: more distinct items than the counter keeps
                    Assert.Equal(items, stats.Top);
                Assert.Equal(Math.Min(20, items.Length), stats.Top!.Count);
                Assert.Null(stats.Min);
            }
            else
            {
                Assert.Equal(present.Min(v => Encoding.UTF8.GetByteCount(v)), stats.MinBytes);
                Assert.Equal(present.Max(v => Encoding.UTF8.GetByteCount(v)), stats.MaxBytes);
                Assert.Null(stats.Top);
            }
        }
    }

    [Fact]
    public void A_column_of_only_nulls_has_counts_and_no_range()
    {
        var profiler = new FileProfiler([new ProfiledColumn("n", ColumnKind.Numeric), new ProfiledColumn("t", ColumnKind.Text)]);
        profiler.Field(0, @"\N"u8);
        profiler.Field(1, ""u8);
        profiler.EndRecord();

        var profile = profiler.Result();
        Assert.Equal(1, profile.Rows);
        Assert.Null(profile.DistinctIds);
        Assert.Equal(new ColumnStats { Nulls = 1 }, profile.Columns["n"] with { Top = null });
        Assert.Equal(1, profile.Columns["t"].Empties);
        Assert.Null(profile.Columns["t"].MinBytes);
    }

    [Fact]
    public void The_report_carries_the_profile_as_docs_contracts_md_shows_and_reads_back()
    {
        var profile = Profile(Dataset.Movies, SyntheticCsv.ToBytes(Dataset.Movies, rows: 500, seed: 1));
        var report = new IngestReport
        {
            Outcome = "accepted", Dataset = "Movies", ProcessedAt = DateTimeOffset.UnixEpoch, DurationMs = 1, Profile = profile,
            Validation = new ValidationResult { Accepted = true, Rows = 500, Bytes = 1000, LineEnding = "LF", Bom = false, ErrorCount = 0, Errors = [] },
        };

        using var json = JsonDocument.Parse(ReportJson.Serialize(report));
        var written = json.RootElement.GetProperty("profile");
        Assert.Equal(500, written.GetProperty("rows").GetInt64());
        Assert.True(written.GetProperty("distinctIds").GetInt64() > 0);
        var rating = written.GetProperty("columns").GetProperty("notaMedia");
        Assert.Equal(["nulls", "empties", "distinct", "min", "max", "mean"], rating.EnumerateObject().Select(p => p.Name));
        var genre = written.GetProperty("columns").GetProperty("genero");
        Assert.Equal(["nulls", "empties", "distinct", "top"], genre.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["value", "count"], genre.GetProperty("top")[0].EnumerateObject().Select(p => p.Name));
        var title = written.GetProperty("columns").GetProperty("tituloPincipal");
        Assert.Equal(["nulls", "empties", "distinct", "minBytes", "maxBytes"], title.EnumerateObject().Select(p => p.Name));

        var read = ProfileJson.ReadManifest(ReportJson.SerializeToUtf8Bytes(report));
        Assert.Equal(2, read.ReportVersion);
        Assert.Equal(profile.Columns["genero"].Top, read.Profile!.Columns["genero"].Top);
        Assert.Equal(profile.Columns["notaMedia"], read.Profile.Columns["notaMedia"]);
    }

    private static void AssertWithin2Percent(long exact, long estimate) =>
        Assert.True(Math.Abs(estimate - exact) <= Math.Max(1, exact * 0.02), $"estimate {estimate} for {exact} distinct");
}
