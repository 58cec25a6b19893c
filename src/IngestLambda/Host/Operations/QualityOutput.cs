using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IngestLambda.Core;
using IngestLambda.Core.Quality;

namespace IngestLambda.Host.Operations;

/// <summary>
/// What <c>bootstrap quality</c> prints (docs/contracts.md "Drift"): a line per dataset saying what was compared, then
/// one aligned table row per drift; or, with <c>--json</c>, one JSON document. Skipped manifests and problems also go
/// to standard error as lines, so a table or document on standard output stays clean.
/// </summary>
internal static class QualityOutput
{
    private static readonly QualityJsonContext Context = new(JsonDefaults.Apply(QualityJsonContext.Default.Options));

    public static string Table(QualityResult result)
    {
        var text = new StringBuilder();
        foreach (var dataset in result.Datasets)
            text.AppendLine(Summary(dataset));
        var drifts = result.Datasets.SelectMany(d => d.Drifts).ToArray();
        if (drifts.Length == 0)
            return text.ToString();
        string[][] rows =
        [
            ["dataset", "column", "measure", "item", "previous", "newest", "change", "limit"],
            .. drifts.Select(d => new[] { d.Dataset, d.Column ?? "", d.Measure, d.Item ?? "", Number(d.Previous), Number(d.Newest), d.Change, d.Limit }),
        ];
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        text.AppendLine();
        foreach (var row in rows)
            text.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        return text.ToString();
    }

    /// <summary>The lines for standard error: each skipped manifest and each dataset that could not be compared.</summary>
    public static IEnumerable<string> Problems(string bucket, QualityResult result) =>
        result.Skipped.Select(s => $"quality: skipped s3://{bucket}/{s.Key}: {s.Reason}")
            .Concat(result.Datasets.Where(d => d.Problem is not null).Select(d => $"quality: {d.Dataset}: {d.Problem}"));

    public static string Json(QualityResult result) => JsonSerializer.Serialize(new QualityDocument(
        [
            .. result.Datasets.Select(d => new DatasetDocument(d.Dataset, Status(d), Day(d.Newest), d.Newest?.Files, Day(d.Previous), d.Previous?.Files,
                d.Problem, d.Drifts)),
        ],
        [.. result.Skipped]), Context.QualityDocument);

    private static string Summary(DatasetQuality dataset)
    {
        if (dataset.Problem is not null)
            return $"{dataset.Dataset}: not compared: {dataset.Problem}";
        var changes = dataset.Drifts.Count switch
        {
            0 => "no drift",
            1 => "1 change beyond the thresholds",
            var n => $"{n} changes beyond the thresholds",
        };
        return $"{dataset.Dataset}: {Describe(dataset.Newest!)} against {Describe(dataset.Previous!)}: {changes}";
    }

    private static string Describe(Snapshot snapshot) =>
        $"{QualityCheck.Format(snapshot.Day)} ({snapshot.Files} file{(snapshot.Files == 1 ? "" : "s")}, {snapshot.Profile.Rows} rows)";

    private static string Status(DatasetQuality dataset) =>
        dataset.Problem is not null ? "not-compared" : dataset.Drifts.Count > 0 ? "drift" : "unchanged";

    private static string? Day(Snapshot? snapshot) => snapshot is null ? null : QualityCheck.Format(snapshot.Day);

    private static string Number(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "";
}

internal sealed record QualityDocument(IReadOnlyList<DatasetDocument> Datasets, IReadOnlyList<SkippedManifest> Skipped);

/// <param name="Status">drift, unchanged or not-compared (then <paramref name="Problem"/> says why).</param>
internal sealed record DatasetDocument(string Dataset, string Status, string? Day, int? Files, string? PreviousDay, int? PreviousFiles,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Problem, IReadOnlyList<Drift> Drifts);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(QualityDocument))]
internal sealed partial class QualityJsonContext : JsonSerializerContext;
