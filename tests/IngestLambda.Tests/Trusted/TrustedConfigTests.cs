using IngestLambda.Configuration;

namespace IngestLambda.Tests.Trusted;

/// <summary>TRUSTED_PREFIX and TRUSTED_FORMAT (docs/contracts.md "Configuration").</summary>
public class TrustedConfigTests
{
    private static IngestConfig Read(params (string Name, string Value)[] variables) =>
        IngestConfig.FromVariables(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void Parquet_under_the_default_prefix_unless_told_otherwise()
    {
        var config = Read();
        Assert.Equal(TrustedFormat.Parquet, config.TrustedFormat);
        Assert.Equal("Trusted/Local/Parquet/", config.Prefixes.Trusted);

        var changed = Read(("TRUSTED_PREFIX", "lake/typed/"), ("TRUSTED_FORMAT", "NONE"));
        Assert.Equal(TrustedFormat.None, changed.TrustedFormat);
        Assert.Equal("lake/typed/", changed.Prefixes.Trusted);
        Assert.Equal(TrustedFormat.Parquet, Read(("TRUSTED_FORMAT", "parquet")).TrustedFormat);
    }

    [Theory]
    [InlineData("TRUSTED_FORMAT", "csv", "must be parquet or none")]
    [InlineData("TRUSTED_PREFIX", "Trusted", "must be a key prefix")]
    [InlineData("TRUSTED_PREFIX", "landing/trusted/", "lies inside LANDING_PREFIX")]
    [InlineData("TRUSTED_PREFIX", "Raw/Local/CSV/Trusted/", "lies inside RAW_PREFIX")]
    public void A_bad_value_stops_start_up_naming_the_variable(string name, string value, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read((name, value)));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
