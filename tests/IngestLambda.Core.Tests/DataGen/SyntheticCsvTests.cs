using System.Text;
using System.Text.RegularExpressions;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;
using IngestLambda.DataGen;

namespace IngestLambda.Core.Tests.DataGen;

/// <summary>
/// The generator's own contract (written with the benchmarks): determinism, Rows == Write, size bounds, layout options,
/// and that what it writes keeps the shape of docs/contracts.md ("Format"). Validity by the real validator is tested elsewhere.
/// </summary>
public class SyntheticCsvTests
{
    [Theory]
    [InlineData(Dataset.Movies)]
    [InlineData(Dataset.Series)]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(Dataset dataset)
    {
        byte[] first = SyntheticCsv.ToBytes(dataset, rows: 3_000, seed: 42);
        byte[] again = SyntheticCsv.ToBytes(dataset, rows: 3_000, seed: 42);
        byte[] other = SyntheticCsv.ToBytes(dataset, rows: 3_000, seed: 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [InlineData(Dataset.Movies)]
    [InlineData(Dataset.Series)]
    public void Rows_yields_exactly_the_rows_Write_writes(Dataset dataset)
    {
        byte[] written = SyntheticCsv.ToBytes(dataset, rows: 2_500, seed: 7);
        byte[] fromRows = SyntheticCsv.ToBytes(dataset, SyntheticCsv.Rows(dataset, seed: 7).Take(2_500));

        Assert.Equal(written, fromRows);
        string[] lines = Encoding.UTF8.GetString(written).Split('\n');
        var rows = SyntheticCsv.Rows(dataset, seed: 7).Take(2_500).ToArray();
        Assert.Equal(string.Join('|', rows[1_233]), lines[1_234]); // data row k is line k + 1 (header is line 1)
    }

    [Theory]
    [InlineData(1_000L)]
    [InlineData(250_000L)]
    [InlineData(3_000_000L)]
    public void A_byte_budget_is_never_exceeded_and_nearly_filled(long budget)
    {
        using var output = new MemoryStream();
        var info = SyntheticCsv.Write(output, Dataset.Movies, SyntheticSize.Bytes(budget), seed: 3);

        Assert.Equal(output.Length, info.Bytes);
        Assert.InRange(info.Bytes, budget - 2_000, budget);
        Assert.Equal(info.Rows, Encoding.UTF8.GetString(output.ToArray()).Count(c => c == '\n') - 1);
    }

    [Fact]
    public void A_budget_smaller_than_one_row_still_writes_one_data_row()
    {
        using var output = new MemoryStream();
        var info = SyntheticCsv.Write(output, Dataset.Series, SyntheticSize.Bytes(10), seed: 1);

        Assert.Equal(1, info.Rows);
        Assert.Equal(2, Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Crlf_bom_and_no_final_newline_change_only_the_layout()
    {
        var options = new SyntheticOptions { Crlf = true, Bom = true, FinalNewline = false };
        byte[] plain = SyntheticCsv.ToBytes(Dataset.Movies, rows: 500, seed: 9);
        byte[] dressed = SyntheticCsv.ToBytes(Dataset.Movies, rows: 500, seed: 9, options);

        Assert.True(dressed.AsSpan().StartsWith("\uFEFF"u8));
        Assert.False(dressed.AsSpan().EndsWith("\n"u8));
        string text = Encoding.UTF8.GetString(dressed.AsSpan(3));
        Assert.Equal(500, Regex.Count(text, "\r\n"));
        Assert.DoesNotMatch("\r(?!\n)|(?<!\r)\n", text);
        Assert.Equal(Encoding.UTF8.GetString(plain), text.Replace("\r\n", "\n") + "\n");
    }

    [Theory]
    [InlineData(Dataset.Movies, "Movies")]
    [InlineData(Dataset.Series, "Series")]
    public void The_header_is_the_schema_header_and_every_row_has_its_column_count(Dataset dataset, string schemaName)
    {
        var schema = SchemaCatalog.BuiltIn.Datasets.Single(d => d.Name == schemaName);
        string[] lines = Encoding.UTF8.GetString(SyntheticCsv.ToBytes(dataset, rows: 20_000, seed: 5)).TrimEnd('\n').Split('\n');

        Assert.Equal(schema.Header, lines[0]);
        Assert.Equal(20_001, lines.Length);
        Assert.All(lines, line => Assert.Equal(schema.Columns.Count, line.Split('|').Length));
    }

    [Theory]
    [InlineData(Dataset.Movies, "movies.json")]
    [InlineData(Dataset.Series, "series.json")]
    public async Task The_quoted_dialect_writes_the_same_rows_comma_separated_and_quoted(Dataset dataset, string contract)
    {
        byte[] plain = SyntheticCsv.ToBytes(dataset, rows: 20_000, seed: 9);
        byte[] quoted = SyntheticCsv.ToBytes(dataset, rows: 20_000, seed: 9, new SyntheticOptions { Quoted = true });
        var text = Encoding.UTF8.GetString(quoted);
        Assert.StartsWith(SyntheticCsv.Header(dataset).Replace('|', ',') + "\n\"tt", text, StringComparison.Ordinal);
        Assert.Contains("\"\"", text, StringComparison.Ordinal); // titles with quotes, doubled

        var options = ValidationOptions.Default with { Schemas = new SchemaCatalog([Contracts.TestContracts.Quoted(contract)]) };
        var result = await CsvValidator.ValidateAsync(new MemoryStream(quoted), options);
        Assert.True(result.Accepted, result.Errors.Count > 0 ? result.Errors[0].ToString() : "rejected without errors");
        Assert.Equal(20_000, result.Rows);
        Assert.True(quoted.Length > plain.Length);
    }

    [Theory]
    [InlineData(Dataset.Movies, false, false, true)]
    [InlineData(Dataset.Series, false, false, true)]
    [InlineData(Dataset.Movies, true, true, false)]
    [InlineData(Dataset.Series, true, false, false)]
    public async Task Generated_files_are_accepted_by_the_validator(Dataset dataset, bool crlf, bool bom, bool finalNewline)
    {
        var options = new SyntheticOptions { Crlf = crlf, Bom = bom, FinalNewline = finalNewline };
        byte[] file = SyntheticCsv.ToBytes(dataset, rows: 40_000, seed: 17, options);

        var result = await CsvValidator.ValidateAsync(new MemoryStream(file));

        Assert.True(result.Accepted, result.Errors.Count > 0 ? result.Errors[0].ToString() : "rejected without errors");
        Assert.Equal(dataset.ToString(), result.Dataset);
        Assert.Equal(40_000, result.Rows);
        Assert.Equal(file.Length, result.Bytes);
        Assert.Equal(bom, result.Bom);
        Assert.Equal(crlf ? "CRLF" : "LF", result.LineEnding);
    }

    [Fact]
    public void Rows_look_like_the_real_files()
    {
        var columns = SyntheticCsv.Columns(Dataset.Movies);
        var rows = SyntheticCsv.Rows(Dataset.Movies, seed: 11).Take(60_000).ToArray();
        int Column(string name) => columns.ToList().IndexOf(name);
        double NullRate(string name) => rows.Count(r => r[Column(name)] == "\\N") / (double)rows.Length;
        string[] titles = rows.Select(r => r[Column("tituloPincipal")]).Distinct().ToArray();

        // Title columns repeat over consecutive rows; ids ascend and have 7 or more digits.
        Assert.InRange(rows.Length / (double)rows.Select(r => r[0]).Distinct().Count(), 3.5, 5.5);
        Assert.All(rows, r => Assert.Matches("^tt[0-9]{7,}$", r[0]));
        Assert.True(rows.Zip(rows.Skip(1)).All(p => long.Parse(p.First[0][2..]) <= long.Parse(p.Second[0][2..])));
        // The troublemakers of docs/contracts.md ("Format") are present.
        Assert.Contains("\"", titles);
        Assert.Contains(titles, t => t.Contains(", ", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.Length > 2 && t.Contains('"', StringComparison.Ordinal));
        string all = string.Join('\n', rows.Select(r => string.Join('|', r)));
        Assert.Matches("[\u0400-\u04FF]", all); // Cyrillic
        Assert.Matches("[\u4E00-\u9FFF]", all); // CJK
        Assert.Matches("[\u0600-\u06FF]", all); // Arabic
        Assert.Contains("\U0001F3AC", all, StringComparison.Ordinal); // an emoji
        Assert.Contains(rows, r => r[Column("tempoMinutos")] is { Length: >= 4 } t && t != "\\N" && int.Parse(t) > 5_000);
        // Null rates near the samples'.
        Assert.InRange(NullRate("personagem"), 0.18, 0.24);
        Assert.InRange(NullRate("anoNascimento"), 0.40, 0.48);
        Assert.InRange(NullRate("anoFalecimento"), 0.88, 0.97);
        Assert.InRange(NullRate("tempoMinutos"), 0.05, 0.12);
        Assert.Equal(0, NullRate("nomeArtista"));
        // Nothing that docs/contracts.md forbids inside a field.
        Assert.DoesNotMatch("[\r\0]", all);
        Assert.All(rows, r => Assert.All(r, f => Assert.DoesNotContain('|', f)));
    }
}
