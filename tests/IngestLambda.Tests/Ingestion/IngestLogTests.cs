using System.Text.Json;
using IngestLambda.Core.Reports;
using IngestLambda.Events;
using IngestLambda.Host;
using IngestLambda.Observability;
using IngestLambda.Pipeline;

namespace IngestLambda.Tests.Ingestion;

public class IngestLogTests
{
    /// <summary>A record's run as the pipeline leaves it, with the step timings the log line reports.</summary>
    internal static RecordRun Run(ILambdaContext context, long validationMs = 0, long copyMs = 0) =>
        new(new IncomingRecord { Kind = IncomingRecordKind.ObjectEvent }, context, RunOptions.Default, 0) { ValidationMs = validationMs, CopyMs = copyMs };

    private static readonly RecordResult Accepted = new()
    {
        Bucket = "lake", Key = "landing/filmes ação.csv", Outcome = Outcomes.Accepted, Dataset = "Movies",
        DestinationKey = "Raw/Local/CSV/Movies/2026/11/26/filmes ação.csv", Rows = 2000, Bytes = 327258, ErrorCount = 0, DurationMs = 41,
    };

    [Fact]
    public void LOG_LEVEL_hides_lower_lines_but_metrics_are_still_written()
    {
        var output = new StringWriter();
        var log = new IngestLog(output, LogLevel.Error, TimeProvider.System);
        var context = new LocalLambdaContext(TimeSpan.FromMinutes(1));

        log.Record(Run(context, validationMs: 30, copyMs: 10), Accepted);
        log.Record(Run(context), Accepted with { Outcome = Outcomes.Skipped, Message = "a folder marker" });
        log.Record(Run(context), Accepted with { Outcome = Outcomes.Failed, Message = "AmazonS3Exception: Access Denied" });

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.False(lines[0].TryGetProperty("outcome", out _)); // metrics only
        Assert.Equal(1, lines[0].GetProperty("FilesAccepted").GetInt32());
        Assert.Equal(30, lines[0].GetProperty("ValidationMilliseconds").GetInt64());
        Assert.Equal("ERROR", lines[1].GetProperty("level").GetString());
        Assert.Equal("failed", lines[1].GetProperty("outcome").GetString());
        Assert.Equal(context.AwsRequestId, lines[1].GetProperty("requestId").GetString());
    }

    [Fact]
    public void A_record_line_carries_the_fields_of_issue_3_and_a_valid_EMF_directive()
    {
        var output = new StringWriter();
        new IngestLog(output, LogLevel.Info, TimeProvider.System).Record(Run(new LocalLambdaContext(TimeSpan.FromMinutes(1)), validationMs: 30, copyMs: 10), Accepted);

        var line = JsonDocument.Parse(output.ToString()).RootElement;
        foreach (var field in new[] { "timestamp", "level", "requestId", "bucket", "key", "outcome", "dataset", "rows", "bytes", "durationMs", "errorCount", "validationMs", "copyMs" })
            Assert.True(line.TryGetProperty(field, out _), field);
        Assert.Equal("landing/filmes ação.csv", line.GetProperty("key").GetString());
        var directive = line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("IngestLambda", directive.GetProperty("Namespace").GetString());
        // Every declared metric and dimension has a value at the top level, as EMF requires.
        foreach (var metric in directive.GetProperty("Metrics").EnumerateArray())
            Assert.True(line.TryGetProperty(metric.GetProperty("Name").GetString()!, out _));
        foreach (var dimension in directive.GetProperty("Dimensions")[0].EnumerateArray())
            Assert.False(string.IsNullOrEmpty(line.GetProperty(dimension.GetString()!).GetString()));
    }
}
