using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Host;
using IngestLambda.Observability;
using IngestLambda.Pipeline;

namespace IngestLambda.Tests.Runtime;

/// <summary>LOG_LEVEL and Lambda's AWS_LAMBDA_LOG_LEVEL together (issue #11 item 3).</summary>
public sealed class LogSettingsTests
{
    [Theory]
    [InlineData(null, null, LogLevel.Info, LogLevel.Trace)]
    [InlineData("DEBUG", null, LogLevel.Debug, LogLevel.Trace)]
    [InlineData(null, "WARN", LogLevel.Warn, LogLevel.Warn)]
    [InlineData("debug", "TRACE", LogLevel.Debug, LogLevel.Trace)] // the template: Lambda filters nothing, LOG_LEVEL decides
    [InlineData("DEBUG", "ERROR", LogLevel.Error, LogLevel.Error)] // an operator raised the level in Lambda: the stricter wins
    [InlineData("ERROR", "INFO", LogLevel.Error, LogLevel.Info)]
    public void The_stricter_of_the_two_levels_wins(string? logLevel, string? lambdaLevel, LogLevel minimum, LogLevel lambdaFilter)
    {
        Assert.True(LogSettings.TryResolve(logLevel, lambdaLevel, out var settings, out var problem), problem);
        Assert.Equal(minimum, settings.Minimum);
        Assert.Equal(lambdaFilter, settings.LambdaFilter);
    }

    [Theory]
    [InlineData(LogLevel.Trace, LogLevel.Info)]
    [InlineData(LogLevel.Info, LogLevel.Info)]
    [InlineData(LogLevel.Warn, LogLevel.Warn)]
    [InlineData(LogLevel.Error, LogLevel.Error)]
    public void Metrics_lines_travel_at_INFO_or_at_Lambdas_level_when_that_is_stricter(LogLevel lambdaFilter, LogLevel metrics) =>
        Assert.Equal(metrics, new LogSettings(LogLevel.Fatal, lambdaFilter).MetricsLevel);

    [Fact]
    public void Configuration_honours_AWS_LAMBDA_LOG_LEVEL_and_names_a_bad_one()
    {
        var config = IngestConfig.FromVariables(name => name switch { "LOG_LEVEL" => "DEBUG", "AWS_LAMBDA_LOG_LEVEL" => "WARN", _ => null });
        Assert.Equal(LogLevel.Warn, config.Log.Minimum);

        var error = Assert.Throws<ConfigurationException>(() => IngestConfig.FromVariables(name => name == "AWS_LAMBDA_LOG_LEVEL" ? "LOUD" : null));
        Assert.Contains("AWS_LAMBDA_LOG_LEVEL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hidden_metrics_line_is_written_at_the_level_Lambdas_filter_keeps()
    {
        var output = new StringWriter();
        var log = new IngestLog(new JsonLog(output, new LogSettings(LogLevel.Error, LogLevel.Error)));
        var accepted = new RecordResult { Bucket = "lake", Key = "landing/m.csv", Outcome = Outcomes.Accepted, Rows = 3, Bytes = 10 };

        log.Record(Ingestion.IngestLogTests.Run(new LocalLambdaContext(TimeSpan.FromMinutes(1)), validationMs: 1, copyMs: 2), accepted);

        var line = System.Text.Json.JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal("ERROR", line.GetProperty("level").GetString());
        Assert.False(line.TryGetProperty("outcome", out _));
        Assert.Equal(1, line.GetProperty("FilesAccepted").GetInt32());
    }
}
