using System.Text.Json;
using IngestLambda.Host.Cli;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Cli;

public class ValidateCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(["validate", .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_directory_exits_2_saying_it_is_a_directory()
    {
        var directory = Path.GetTempPath();
        var (exit, output, error) = await Run(directory, "--json");
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains($"'{directory}' is a directory, not a file", error, StringComparison.Ordinal);
        Assert.DoesNotContain("denied", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_sample_exits_0_with_a_human_summary()
    {
        var (exit, output, _) = await Run(RepoPaths.Samples("movies.csv"));
        Assert.Equal(0, exit);
        Assert.Contains("movies.csv: ACCEPTED", output, StringComparison.Ordinal);
        Assert.Contains("dataset      Movies", output, StringComparison.Ordinal);
        Assert.Contains("rows         2,000", output, StringComparison.Ordinal);
        Assert.Contains("MB/s", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_file_exits_1_and_lists_each_error_with_line_column_and_excerpt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.csv");
        var lines = File.ReadLines(RepoPaths.Samples("movies.csv")).Take(3).ToArray();
        var fields = lines[2].Split('|');
        fields[6] = "7,5";
        lines[2] = string.Join('|', fields);
        await File.WriteAllLinesAsync(path, lines);
        try
        {
            var (exit, output, _) = await Run(path);
            Assert.Equal(1, exit);
            Assert.Contains("REJECTED", output, StringComparison.Ordinal);
            Assert.Contains("line 3, notaMedia", output, StringComparison.Ordinal);
            Assert.Contains("[invalid-value]", output, StringComparison.Ordinal);
            Assert.Contains("> 7,5", output, StringComparison.Ordinal);

            var (jsonExit, json, _) = await Run(path, "--json");
            Assert.Equal(1, jsonExit);
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            Assert.Equal(2, root.GetProperty("reportVersion").GetInt32());
            Assert.Equal("rejected", root.GetProperty("outcome").GetString());
            Assert.Equal("Movies", root.GetProperty("dataset").GetString());
            Assert.False(root.TryGetProperty("source", out _));
            Assert.False(root.TryGetProperty("destination", out _));
            var validation = root.GetProperty("validation");
            Assert.Equal(2, validation.GetProperty("rows").GetInt64());
            Assert.Equal(1, validation.GetProperty("errorCount").GetInt64());
            var error = validation.GetProperty("errors")[0];
            Assert.Equal(3, error.GetProperty("line").GetInt64());
            Assert.Equal("notaMedia", error.GetProperty("column").GetString());
            Assert.Equal("invalid-value", error.GetProperty("code").GetString());
            Assert.True(error.GetProperty("byteOffset").GetInt64() > 0);
            Assert.Equal(12, validation.GetProperty("crc64nvme").GetString()!.Length); // 8 bytes in base64
            Assert.False(validation.TryGetProperty("sha256", out _));
            Assert.Equal("LF", validation.GetProperty("lineEnding").GetString());
            Assert.True(root.TryGetProperty("processedAt", out _));
            Assert.True(root.TryGetProperty("durationMs", out _));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_file_exits_2_with_a_clear_message_and_no_stack_trace()
    {
        var (exit, output, error) = await Run("/no/such/file.csv");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("cannot read '/no/such/file.csv'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("a.csv", "b.csv")]
    [InlineData("--json")]
    public async Task Wrong_arguments_exit_2_with_usage(params string[] args)
    {
        var (exit, _, error) = await Run(args);
        Assert.Equal(2, exit);
        Assert.Contains("Usage: bootstrap validate FILE [--json]", error, StringComparison.Ordinal);
    }
    [Fact]
    public async Task A_csv_gz_is_validated_through_decompression_and_a_broken_one_is_invalid_gzip()
    {
        var csv = await File.ReadAllBytesAsync(RepoPaths.Samples("movies.csv"));
        var good = Path.Combine(Path.GetTempPath(), $"movies-{Guid.NewGuid():N}.csv.gz");
        var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.csv.gz");
        using (var buffer = new MemoryStream())
        {
            using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
                gzip.Write(csv);
            await File.WriteAllBytesAsync(good, buffer.ToArray());
            await File.WriteAllBytesAsync(broken, buffer.ToArray()[..(int)(buffer.Length / 2)]);
        }
        try
        {
            var (exit, json, _) = await Run(good, "--json");
            Assert.Equal(0, exit);
            using (var doc = JsonDocument.Parse(json))
            {
                var validation = doc.RootElement.GetProperty("validation");
                Assert.Equal("gzip", validation.GetProperty("compression").GetString());
                Assert.Equal(new FileInfo(good).Length, validation.GetProperty("bytes").GetInt64());
                Assert.Equal(csv.Length, validation.GetProperty("uncompressedBytes").GetInt64());
                Assert.Equal(2000, validation.GetProperty("rows").GetInt64());
            }

            var (brokenExit, output, _) = await Run(broken);
            Assert.Equal(1, brokenExit);
            Assert.Contains("[invalid-gzip]", output, StringComparison.Ordinal);
            Assert.Contains("truncated", output, StringComparison.Ordinal);
            // A local run quarantines nothing, and the file-level error is placed by "file", not "line 0".
            Assert.DoesNotContain("quarantine", output, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("    file (byte ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("line 0", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(good);
            File.Delete(broken);
        }
    }

    [Fact]
    public async Task Contracts_given_with_the_option_are_the_ones_a_file_is_matched_against()
    {
        using var contracts = new TempContracts(withShipped: false);
        contracts.Add("readings.json", """
            { "name": "Readings", "dialect": { "delimiter": ";", "x-ingest-noQuoting": true },
              "schema": { "fields": [ { "name": "sensor" }, { "name": "value", "type": "number", "constraints": { "maximum": 60 } } ] } }
            """);
        var file = contracts.Add("readings.csv", "sensor;value\nS1;12.5\nS2;61\n");

        var (exit, output, _) = await Run(file, "--contracts", contracts.Path);
        Assert.Equal(1, exit);
        Assert.Contains("dataset      Readings", output, StringComparison.Ordinal);
        Assert.Contains("line 3, value", output, StringComparison.Ordinal);
        Assert.Contains("value is not a valid number: expected a number with '.' as its decimal point at most 60.", output, StringComparison.Ordinal);

        var (shippedExit, shipped, _) = await Run(file);
        Assert.Equal(1, shippedExit);
        Assert.Contains("[unknown-header]", shipped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_contracts_folder_exits_2_naming_the_problem()
    {
        using var contracts = new TempContracts(withShipped: false);
        contracts.Add("bad.json", """{ "name": "Bad", "schema": { "fields": [ { "name": "a", "type": "yaer" } ] } }""");
        var (exit, output, error) = await Run(RepoPaths.Samples("movies.csv"), "--contracts", contracts.Path);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("bad.json: schema.fields[0] (a).type: 'yaer' is not a Table Schema type", error, StringComparison.Ordinal);
    }
}
