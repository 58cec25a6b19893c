using IngestLambda.Host.Cli;

namespace IngestLambda.Tests.Cli;

/// <summary>The one parser (Host/Cli/CommandLine.cs): usage errors are exit 2 for every command, and the help names them all.</summary>
public class CommandLineTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Errors the parser itself finds (an unknown option, a value that is no number, a missing value): the library's default is 1.</summary>
    [Theory]
    [InlineData("validate", "usage: bootstrap validate", "a.csv", "--bogus")]
    [InlineData("invoke", "usage: bootstrap invoke", "--event", "e.json", "--timeout", "soon")]
    [InlineData("backfill", "usage: bootstrap backfill", "s3://lake", "--concurrency", "many")]
    [InlineData("replay", "usage: bootstrap replay", "--queue-url", "http://127.0.0.1:1/000000000000/q", "--max")]
    [InlineData("quality", "usage: bootstrap quality", "s3://lake", "--date")]
    public async Task A_parse_error_exits_2_naming_the_command_and_its_usage(string command, string usage, params string[] args)
    {
        var (exit, output, error) = await Run([command, .. args]);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"{command}: unexpected argument:", error, StringComparison.Ordinal);
        Assert.Contains(usage, error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData]
    [InlineData("bogus")]
    public async Task No_command_or_an_unknown_one_exits_2_with_the_overview(params string[] args)
    {
        var (exit, _, error) = await Run(args);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("bootstrap backfill s3://BUCKET", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_names_every_command_with_its_options_and_exits_0(string flag)
    {
        var (exit, output, _) = await Run(flag);
        Assert.Equal(ExitCodes.Success, exit);
        foreach (var synopsis in new[] { "validate FILE [--json]", "invoke --event FILE|- [--timeout SECONDS]",
            "backfill s3://BUCKET[/PREFIX] [--concurrency N] [--dry-run] [--reprocess-rejected] [--trusted-only]", "replay --queue-url URL [--max N] [--dry-run]",
            "quality s3://BUCKET [--dataset D] [--date yyyy-MM-dd] [--rules FILE] [--json]", "--help | --version" })
            Assert.Contains($"bootstrap {synopsis}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate", "--json")]
    [InlineData("invoke", "--event", "--timeout")]
    [InlineData("backfill", "--concurrency", "--dry-run", "--reprocess-rejected", "--trusted-only", "RAW_PREFIX")]
    [InlineData("replay", "--queue-url", "--max", "--dry-run")]
    [InlineData("quality", "--dataset", "--date", "--rules", "--json")]
    public async Task A_command_help_lists_its_options_and_exits_0(string command, params string[] options)
    {
        var (exit, output, error) = await Run(command, "--help");
        Assert.True(exit == ExitCodes.Success, error);
        foreach (var option in options)
            Assert.Contains(option, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_informational_version()
    {
        var (exit, output, _) = await Run("--version");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.StartsWith("bootstrap ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no s3://BUCKET given")]
    [InlineData("'s3://lake/prefix' is not s3://BUCKET", "s3://lake/prefix")]
    [InlineData("--date takes yyyy-MM-dd, not '26/11/2026'", "s3://lake", "--date", "26/11/2026")]
    [InlineData("--dataset takes a dataset name, not 'a/b'", "s3://lake", "--dataset", "a/b")]
    [InlineData("rules file /no/such/rules.json:", "s3://lake", "--rules", "/no/such/rules.json")]
    public async Task Quality_usage_errors_exit_2_before_reading_S3(string says, params string[] args)
    {
        var (exit, output, error) = await Run(["quality", .. args]);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", output);
        Assert.Contains(says, error, StringComparison.Ordinal);
    }
}
