using IngestLambda.Host.Cli;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Cli;

/// <summary>
/// <c>bootstrap contract check DIR</c>: 0 and the datasets when every contract is usable; 2 and one line per problem
/// (file, where, what) otherwise. Cli/BrokenContracts holds one broken contract per kind of problem.
/// </summary>
public class ContractCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(["contract", .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string BrokenFolder => Path.Combine(RepoPaths.Root, "tests", "IngestLambda.Tests", "Cli", "BrokenContracts");

    [Fact]
    public async Task The_shipped_contracts_pass_with_each_dataset_listed()
    {
        var (exit, output, _) = await Run("check", Path.Combine(RepoPaths.Root, "contracts"));
        Assert.Equal(0, exit);
        Assert.Contains("movies.json: Movies, 15 columns, delimiter '|', no quoting", output, StringComparison.Ordinal);
        Assert.Contains("series.json: Series, 16 columns, delimiter '|', no quoting", output, StringComparison.Ordinal);
        Assert.EndsWith("2 contracts, no problem.\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_broken_contract_is_named_with_where_and_what_and_the_exit_is_2()
    {
        var (exit, output, _) = await Run("check", BrokenFolder);
        Assert.Equal(2, exit);
        var lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        string[] expected =
        [
            "bad-pattern.json: schema.fields[0] (id).constraints.pattern: 'tt[0-9' is not a usable regular expression",
            "bound-on-text.json: schema.fields[0] (title).constraints.maximum: does not apply to a string field",
            "escape-char.json: dialect.escapeChar: is not supported by this validator",
            "misspelt-constraints.json: schema.fields[0] (id).contraints: is not a property this validator supports",
            "no-name.json: name: is missing",
            "not-json.json: is not valid JSON",
            "twin-a.json and twin-b.json: schema.fields: TwinA and TwinB have the same header",
            "unknown-type.json: schema.fields[0] (born).type: 'yaer' is not a Table Schema type",
        ];
        Assert.Equal(expected.Length + 1, lines.Length); // one line per problem, then the count
        foreach (var line in expected)
            Assert.Contains(lines, l => l.Contains(line, StringComparison.Ordinal));
        Assert.Equal($"{BrokenFolder}: {expected.Length} problems.", lines[^1]);
    }

    [Fact]
    public async Task A_missing_folder_and_a_bad_usage_exit_2()
    {
        var (exit, output, _) = await Run("check", "/nonexistent/contracts");
        Assert.Equal(2, exit);
        Assert.Contains("/nonexistent/contracts: is not a folder", output, StringComparison.Ordinal);

        var (usageExit, _, error) = await Run("check");
        Assert.Equal(2, usageExit);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
        Assert.Equal(2, (await Run()).Exit);
    }

    [Fact]
    public async Task Infer_prints_a_draft_that_check_accepts_and_a_summary_on_stderr()
    {
        var (exit, output, error) = await Run("infer", RepoPaths.Samples("series.csv"), "--name", "Series");
        Assert.Equal(0, exit);
        Assert.Contains("contract infer: 2,000 rows read, delimiter '|', no quoting", error, StringComparison.Ordinal);
        using var contracts = new TempContracts(withShipped: false);
        contracts.Add("series.json", output);
        var (checkExit, checkOutput, _) = await Run("check", contracts.Path);
        Assert.True(checkExit == 0, checkOutput);
        Assert.Contains("series.json: Series, 16 columns, delimiter '|', no quoting", checkOutput, StringComparison.Ordinal);

        var (tabExit, tabbed, _) = await Run("infer", contracts.Add("t.tsv", "a\tb\n1\tx\n"), "--delimiter", "\\t");
        Assert.Equal(0, tabExit);
        Assert.Contains("\"name\": \"T\"", tabbed, StringComparison.Ordinal); // named after the file
        Assert.Contains("\"delimiter\": \"\\t\"", tabbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("infer")]
    [InlineData("infer", "a.csv", "b.csv")]
    [InlineData("infer", "a.csv", "--delimiter", "ab")]
    [InlineData("infer", "a.csv", "--name")]
    [InlineData("infer", "/nonexistent/sample.csv")]
    public async Task Infer_exits_2_on_a_usage_or_read_error(params string[] args)
    {
        var (exit, output, error) = await Run(args);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith("contract infer: ", error, StringComparison.Ordinal);
    }
}
