using System.Text.Json;
using IngestLambda.Configuration;
using IngestLambda.Observability;

namespace IngestLambda.Notifications;

/// <summary>
/// Publishes each file's outcome on the EVENT_BUS_NAME bus (docs/contracts.md "Outcome events"). A publish that
/// fails (bus unreachable, an error answer, an entry EventBridge did not take) is one WARN log line with the EMF
/// metric <see cref="FailureMetric"/>, and never fails the file: the manifest or report is already written.
/// </summary>
internal sealed class OutcomePublisher : IDisposable
{
    public const string FailureMetric = "OutcomeEventsFailed";

    private readonly EventBridgeClient? _client;
    private readonly string _busName;
    private readonly JsonLog _log;

    /// <param name="client">Null publishes nothing (EVENT_BUS_NAME set empty).</param>
    public OutcomePublisher(EventBridgeClient? client, string busName, JsonLog log) => (_client, _busName, _log) = (client, busName, log);

    /// <summary>From the configuration: no client at all when EVENT_BUS_NAME is empty.</summary>
    public static OutcomePublisher Create(IngestConfig config, JsonLog log) =>
        config.EventBusName is { } bus ? new OutcomePublisher(EventBridgeClient.Create(config), bus, log) : new OutcomePublisher(null, "", log);

    public bool Enabled => _client is not null;

    /// <summary>Publishes one event; returns whether EventBridge took it. Never throws but for the caller's cancellation.</summary>
    /// <param name="timeLeft">How long the publish may take (at most a day): a bus that does not answer must not hold
    /// the invocation past its deadline.</param>
    public async Task<bool> PublishAsync(string detailType, OutcomeDetail detail, string functionName, string? requestId, TimeSpan timeLeft,
        CancellationToken cancellationToken)
    {
        if (_client is null)
            return false;
        var entry = new PutEventsEntry(OutcomeEvent.Source, detailType,
            JsonSerializer.Serialize(detail, OutcomeDetailJsonContext.Default.OutcomeDetail), _busName);
        string? problem;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeLeft > TimeSpan.Zero ? timeLeft : TimeSpan.Zero);
        try
        {
            var response = await _client.PutEventsAsync([entry], limit.Token).ConfigureAwait(false);
            problem = response.FailedEntryCount == 0 ? null
                : response.Entries?.FirstOrDefault(e => e.ErrorCode is not null) is { } failed ? $"{failed.ErrorCode}: {failed.ErrorMessage}"
                : $"{response.FailedEntryCount} entry not taken";
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            problem = limit.IsCancellationRequested ? $"no answer within {timeLeft.TotalMilliseconds:F0} ms, the time left before the deadline margin" : $"{e.GetType().Name}: {e.Message}";
        }
        if (problem is null)
            return true;
        LogFailure(detailType, detail, problem, functionName, requestId);
        return false;
    }

    /// <summary>One line, with the metric, at WARN, or at the metrics level when WARN is hidden so the count never vanishes.</summary>
    private void LogFailure(string detailType, OutcomeDetail detail, string problem, string functionName, string? requestId)
    {
        var shown = _log.IsEnabled(LogLevel.Warn);
        _log.Write(shown ? LogLevel.Warn : _log.Settings.MetricsLevel, requestId, json =>
        {
            if (shown)
            {
                json.WriteString("message", $"outcome event '{detailType}' not published on bus '{_busName}' ({_client!.Url}): {problem}; the file's outcome stands");
                json.WriteString("bucket", detail.Source.Bucket);
                json.WriteString("key", detail.Source.Key);
                json.WriteString("outcome", detail.Outcome);
            }
            EmbeddedMetrics.WriteDirective(json, _log.Time.GetUtcNow(), ["FunctionName"], [(FailureMetric, "Count")]);
            json.WriteString("FunctionName", string.IsNullOrEmpty(functionName) ? "IngestFunction" : functionName);
            json.WriteNumber(FailureMetric, 1);
        });
    }

    public void Dispose() => _client?.Dispose();
}
