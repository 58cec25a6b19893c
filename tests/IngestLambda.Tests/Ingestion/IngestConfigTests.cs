using IngestLambda.Configuration;
using IngestLambda.Lake;
using IngestLambda.Observability;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Ingestion;

public class IngestConfigTests
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var config = IngestConfig.FromVariables(_ => null);
        Assert.Equal("landing/", config.Prefixes.Landing);
        Assert.Equal("Raw/Local/CSV/", config.Prefixes.Raw);
        Assert.Equal("quarantine/", config.Prefixes.Quarantine);
        Assert.Equal("manifests/", config.Prefixes.Manifest);
        Assert.Null(config.DestinationBucket);
        Assert.Equal(1_048_576, config.Validation.MaxLineBytes);
        Assert.Equal(100, config.Validation.MaxReportedErrors);
        Assert.Equal(67_108_864, config.RangedReadThresholdBytes);
        Assert.Equal(8_388_608, config.RangedReadPartBytes);
        Assert.Equal(4, config.RangedReadConcurrency);
        Assert.False(config.Validation.Sha256);
        Assert.Equal(LogLevel.Info, config.Log.Minimum);
        Assert.Null(config.S3Endpoint);
    }

    [Fact]
    public void The_shipped_contracts_are_read_unless_CONTRACTS_DIR_names_another_folder()
    {
        Assert.Equal(["Movies", "Series"], IngestConfig.FromVariables(_ => null).Validation.Schemas.Datasets.Select(d => d.Name));

        using var contracts = new TempContracts();
        contracts.Add("genres.json", """
            { "name": "Genres", "dialect": { "delimiter": "|", "x-ingest-noQuoting": true },
              "schema": { "fields": [ { "name": "genre" }, { "name": "titles", "type": "integer" } ] } }
            """);
        var config = IngestConfig.FromVariables(Vars(("CONTRACTS_DIR", contracts.Path)));
        Assert.Equal(["Genres", "Movies", "Series"], config.Validation.Schemas.Datasets.Select(d => d.Name));
    }

    [Fact]
    public void A_bad_contract_stops_start_up_naming_the_variable_the_file_the_field_and_the_problem()
    {
        using var contracts = new TempContracts();
        var broken = File.ReadAllText(Path.Combine(contracts.Path, "series.json")).Replace("\"type\": \"year\"", "\"type\": \"yaer\"", StringComparison.Ordinal);
        contracts.Add("series.json", broken);

        var e = Assert.Throws<ConfigurationException>(() => IngestConfig.FromVariables(Vars(("CONTRACTS_DIR", contracts.Path))));
        Assert.StartsWith($"CONTRACTS_DIR='{contracts.Path}': ", e.Message, StringComparison.Ordinal);
        Assert.Contains("series.json: schema.fields[3] (anoLancamento).type: 'yaer' is not a Table Schema type", e.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<ConfigurationException>(() => IngestConfig.FromVariables(Vars(("CONTRACTS_DIR", "/nonexistent/contracts"))));
        Assert.Contains("is not a folder", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_variable_is_read()
    {
        var config = IngestConfig.FromVariables(Vars(
            ("LANDING_PREFIX", "in/"), ("RAW_PREFIX", "lake/raw/"), ("QUARANTINE_PREFIX", "lake/bad/"), ("MANIFEST_PREFIX", "lake/manifests/"),
            ("DESTINATION_BUCKET", "my.lake-1"), ("MAX_LINE_BYTES", "2048"), ("MAX_REPORTED_ERRORS", "7"),
            ("MULTIPART_COPY_THRESHOLD_BYTES", "0"), ("MULTIPART_COPY_PART_BYTES", "10485760"), ("LOG_LEVEL", "debug"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), ("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:5001"), ("AWS_REGION", "sa-east-1"),
            ("COPY_BYTES_PER_SECOND", "1048576"), ("DEADLINE_MARGIN_MS", "250"), ("MULTIPART_COPY_CONCURRENCY", "3"),
            ("RANGED_READ_THRESHOLD_BYTES", "1000"), ("RANGED_READ_PART_BYTES", "5242880"), ("RANGED_READ_CONCURRENCY", "6"), ("INTEGRITY_SHA256", "TRUE")));

        Assert.Equal("in/", config.Prefixes.Landing);
        Assert.Equal("lake/raw/", config.Prefixes.Raw);
        Assert.Equal("lake/bad/", config.Prefixes.Quarantine);
        Assert.Equal("lake/manifests/", config.Prefixes.Manifest);
        Assert.Equal("my.lake-1", config.DestinationBucket);
        Assert.Equal(2048, config.Validation.MaxLineBytes);
        Assert.True(config.Validation.Sha256);
        Assert.Equal(7, config.Validation.MaxReportedErrors);
        Assert.Equal(0, config.MultipartCopyThresholdBytes);
        Assert.Equal(10_485_760, config.MultipartCopyPartBytes);
        Assert.Equal(LogLevel.Debug, config.Log.Minimum);
        Assert.Equal(new Uri("http://127.0.0.1:5001"), config.S3Endpoint); // the S3-specific one wins
        Assert.Equal("sa-east-1", config.Region);
        Assert.Equal(1_048_576, config.CopyBytesPerSecond);
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.DeadlineMargin);
        Assert.Equal(3, config.MultipartCopyConcurrency);
        Assert.Equal(1000, config.RangedReadThresholdBytes);
        Assert.Equal(5_242_880, config.RangedReadPartBytes);
        Assert.Equal(6, config.RangedReadConcurrency);
    }

    [Theory]
    [InlineData("LANDING_PREFIX", "landing")]
    [InlineData("LANDING_PREFIX", "/landing/")]
    [InlineData("RAW_PREFIX", "a//b/")]
    [InlineData("QUARANTINE_PREFIX", "../q/")]
    [InlineData("MANIFEST_PREFIX", "landing/manifests/")]
    [InlineData("RAW_PREFIX", "landing/raw/")]
    [InlineData("DESTINATION_BUCKET", "My_Bucket")]
    [InlineData("DESTINATION_BUCKET", "ab")]
    [InlineData("MAX_LINE_BYTES", "lots")]
    [InlineData("MAX_LINE_BYTES", "-5")]
    [InlineData("MAX_LINE_BYTES", "99999999999")]
    [InlineData("MAX_REPORTED_ERRORS", "1.5")]
    [InlineData("MULTIPART_COPY_THRESHOLD_BYTES", "6000000000")]
    [InlineData("MULTIPART_COPY_PART_BYTES", "1048576")]
    [InlineData("LOG_LEVEL", "chatty")]
    [InlineData("INTEGRITY_SHA256", "yes")]
    [InlineData("AWS_ENDPOINT_URL", "localhost:5000")]
    [InlineData("AWS_ENDPOINT_URL_S3", "ftp://127.0.0.1/")]
    [InlineData("COPY_BYTES_PER_SECOND", "0")]
    [InlineData("DEADLINE_MARGIN_MS", "x")]
    [InlineData("RANGED_READ_THRESHOLD_BYTES", "0")]
    [InlineData("RANGED_READ_PART_BYTES", "1000")]
    [InlineData("RANGED_READ_CONCURRENCY", "65")]
    public void A_bad_setting_names_its_variable(string name, string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => IngestConfig.FromVariables(Vars((name, value))));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ranged_read_buffers_beyond_a_GiB_name_both_variables()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            IngestConfig.FromVariables(Vars(("RANGED_READ_PART_BYTES", "134217728"), ("RANGED_READ_CONCURRENCY", "9"))));
        Assert.Contains("RANGED_READ_PART_BYTES='134217728'", error.Message, StringComparison.Ordinal);
        Assert.Contains("RANGED_READ_CONCURRENCY='9'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_variables_count_as_unset() =>
        Assert.Equal("landing/", IngestConfig.FromVariables(Vars(("LANDING_PREFIX", ""))).Prefixes.Landing);

    [Theory]
    [InlineData(100L, 64L * 1024 * 1024, 64L * 1024 * 1024)]
    [InlineData(1L << 40, 5L * 1024 * 1024, 105L * 1024 * 1024)] // 1 TiB needs parts of > 104.9 MiB to fit in 10,000
    [InlineData(5L << 40, 5L * 1024 * 1024, 525L * 1024 * 1024)]
    public void Part_sizes_grow_to_fit_ten_thousand_parts(long objectSize, long preferred, long expected)
    {
        var size = ServerSideCopy.ChoosePartSize(objectSize, preferred);
        Assert.Equal(expected, size);
        Assert.True((objectSize + size - 1) / size <= IngestConfig.MaxParts);
    }

    private static Func<string, string?> Vars(params (string Name, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value);
        return name => map.GetValueOrDefault(name);
    }
}
