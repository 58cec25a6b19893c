using System.Text;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Tests.Contracts;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Tests.Validation;

/// <summary>
/// The row sink (docs/contracts.md "Trusted zone"): every valid row's values in order, quoted fields unescaped, missing
/// values as nulls, empty as empty, whatever the segmentation; nothing after the first error.
/// </summary>
public class RowSinkTests
{
    private sealed class RecordingSink : IRowSink
    {
        private List<string?> _row = [];
        public string? Dataset { get; private set; }
        public List<List<string?>> Rows { get; } = [];
        public int Flushes { get; private set; }

        public void Begin(DatasetSchema dataset) => Dataset = dataset.Name;
        public void Value(ReadOnlySpan<byte> value) => _row.Add(Encoding.UTF8.GetString(value));
        public void Missing() => _row.Add(null);
        public void EndRow()
        {
            Rows.Add(_row);
            _row = [];
        }
        public ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return ValueTask.CompletedTask;
        }
    }

    private static ValidationOptions Options(DatasetSchema dataset) => ValidationOptions.Default with { Schemas = TestContracts.Catalog(dataset) };

    private static async Task<(ValidationResult Result, RecordingSink Sink)> ValidateAsync(string csv, DatasetSchema dataset, bool bom = false)
    {
        var bytes = (bom ? [0xEF, 0xBB, 0xBF] : Array.Empty<byte>()).Concat(Encoding.UTF8.GetBytes(csv)).ToArray();
        var sink = new RecordingSink();
        var result = await CsvValidator.ValidateAsync(new MemoryStream(bytes), ContentEncoding.None, Options(dataset), expected: null, sink);
        return (result, sink);
    }

    [Fact]
    public async Task Quoted_fields_arrive_unescaped_missing_values_as_null_and_empty_as_empty()
    {
        var (result, sink) = await ValidateAsync(QuotedValidationTests.Header + "\r\n" +
            "1,\"Hamlet, Prince of Denmark\",4.5,2026-11-26,yes\r\n" +
            "2,\"He said \"\"hi\"\"\r\nthen left\",NA,NA,\"a\"\"b\"\n" +
            "3,\"\",5,\"2026-01-03\",\"NA\"\n", QuotedValidationTests.Ratings, bom: true);

        Assert.True(result.Accepted, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal("Ratings", sink.Dataset);
        List<string?>[] expected =
        [
            ["1", "Hamlet, Prince of Denmark", "4.5", "2026-11-26", "yes"],
            ["2", "He said \"hi\"\r\nthen left", null, null, "a\"b"],
            ["3", "", "5", "2026-01-03", null],
        ];
        Assert.Equal(expected, sink.Rows);
        Assert.True(sink.Flushes >= 1);
    }

    [Fact]
    public async Task Unquoted_rows_come_without_their_CR_and_a_missing_last_line_feed_changes_nothing()
    {
        var movies = ValidationOptions.Default.Schemas.Datasets.Single(d => d.Name == "Movies");
        string[] rows = [TestFiles.MovieRow(), TestFiles.MovieRow(("personagem", ""), ("anoFalecimento", "\\N")), TestFiles.MovieRow(("id", "tt0000010"))];
        var (result, sink) = await ValidateAsync(TestFiles.MoviesHeader + "\r\n" + string.Join("\r\n", rows), movies);

        Assert.True(result.Accepted, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal(rows.Select(r => r.Split('|').Select(v => v == "\\N" ? null : v)), sink.Rows);
    }

    [Fact]
    public async Task Rows_stop_at_the_first_error()
    {
        var (result, sink) = await ValidateAsync(QuotedValidationTests.Header + "\n1,a,4.5,2026-11-26,yes\n0,b,4.5,2026-11-26,yes\n3,c,4.5,2026-11-26,yes\n",
            QuotedValidationTests.Ratings);
        Assert.False(result.Accepted);
        List<string?>[] expected = [["1", "a", "4.5", "2026-11-26", "yes"]];
        Assert.Equal(expected, sink.Rows);
    }
}
