using System.Text.Json;

namespace IngestLambda.LocalHost;

/// <summary>
/// Reads a successful response as Lambda's SQS event source does with ReportBatchItemFailures
/// (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html): no <c>batchItemFailures</c>, null
/// or empty means every message succeeded; otherwise the named messages failed. A response that is not JSON, or an
/// item whose identifier is missing, empty or not a message of the batch, fails the whole batch.
/// </summary>
internal static class BatchResponse
{
    /// <returns>The ids of the failed messages; <paramref name="problem"/> says why the whole batch failed, or is null.</returns>
    public static IReadOnlySet<string> FailedMessageIds(string body, IReadOnlyCollection<string> batch, out string? problem)
    {
        problem = null;
        var failed = new HashSet<string>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            problem = $"the response is not JSON ({e.Message})";
            return batch.ToHashSet(StringComparer.Ordinal);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("batchItemFailures", out var items) || items.ValueKind == JsonValueKind.Null)
            {
                return failed;
            }
            if (items.ValueKind != JsonValueKind.Array)
                problem = "batchItemFailures is not an array";
            else
            {
                foreach (var item in items.EnumerateArray())
                {
                    var id = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("itemIdentifier", out var value) && value.ValueKind == JsonValueKind.String
                        ? value.GetString()
                        : null;
                    if (string.IsNullOrEmpty(id) || !batch.Contains(id))
                    {
                        problem = $"batchItemFailures names '{id}', which is not a message of this batch";
                        break;
                    }
                    failed.Add(id);
                }
            }
            return problem is null ? failed : batch.ToHashSet(StringComparer.Ordinal);
        }
    }
}
