using System.Text;
using System.Text.Json;
using IngestLambda.Core;
using IngestLambda.Core.Reports;
using IngestLambda.Core.Validation;
using IngestLambda.Events;
using IngestLambda.Pipeline;
using IngestLambda.Observability;
using IngestLambda.Host.Runtime;

namespace IngestLambda.Tests.Ingestion;

/// <summary>
/// One JSON option set (Core/JsonDefaults.cs, docs/contracts.md "JSON"): every writer escapes only what JSON requires,
/// so a key with <c>+</c> or <c>'</c> reads as it is; events are read strictly.
/// </summary>
public sealed class JsonOutputTests
{
    private const string Key = "landing/a+b 'c' <d> & ação.csv";

    private static void AssertWrittenAsIs(string json)
    {
        Assert.Contains(Key, json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_result_json_writes_keys_as_they_are()
    {
        var result = new IngestResult { Records = [new RecordResult { Key = Key, Outcome = Outcomes.Skipped, Message = $"skipped {Key}" }] };

        AssertWrittenAsIs(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(result, IngestResultJson.Context.IngestResult)));
        AssertWrittenAsIs(JsonSerializer.Serialize(result.Records[0], IngestResultJson.Context.RecordResult));
    }

    [Fact]
    public void Reports_in_S3_and_validate_json_write_text_as_it_is()
    {
        var validation = new ValidationResult
        {
            Rows = 1, Bytes = 1, Sha256 = "", LineEnding = "LF", Bom = false, ErrorCount = 1,
            Errors = [new ValidationError(2, "notaMedia", 10, ErrorCodes.InvalidValue, "bad", Key)],
        };
        var report = IngestReport.From(validation, DateTimeOffset.UnixEpoch, 1,
            new SourceInfo("lake", Key, null, "e", 1, DateTimeOffset.UnixEpoch), new DestinationInfo("lake", Key));

        AssertWrittenAsIs(Encoding.UTF8.GetString(ReportJson.SerializeToUtf8Bytes(report)));
        AssertWrittenAsIs(ReportJson.Serialize(report));
    }

    [Fact]
    public void Log_lines_and_error_reports_write_text_as_it_is()
    {
        var output = new StringWriter();
        new JsonLog(output, LogSettings.Default).Message(LogLevel.Info, Key);

        AssertWrittenAsIs(output.ToString());
        AssertWrittenAsIs(Encoding.UTF8.GetString(ErrorReport.FromException(new InvalidOperationException(Key)).ToJson(64 * 1024)));
    }

    [Fact]
    public void Every_writer_and_reader_takes_the_one_option_set()
    {
        foreach (var options in new[] { IngestResultJson.Context.Options, StrictEventJson.Context.Options })
        {
            Assert.Same(JsonDefaults.Encoder, options.Encoder);
            Assert.False(options.AllowDuplicateProperties);
            Assert.False(options.AllowTrailingCommas);
            Assert.Equal(JsonCommentHandling.Disallow, options.ReadCommentHandling);
        }
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"messageId":"a","messageId":"b"}""", StrictEventJson.Context.SqsMessage));
    }
}
