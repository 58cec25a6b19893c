using IngestLambda.Configuration;
using IngestLambda.Core.Lake;

namespace IngestLambda.Lake;

/// <summary>Where one verdict on one landed object goes: the byte-identical copy and, written last, its report.</summary>
internal sealed record Destination(string Bucket, string DataKey, string ReportKey, string? Dataset)
{
    /// <summary>The claim that makes runs writing this destination take turns (<see cref="RecordClaims"/>).</summary>
    public string ClaimKey => ReportKey + RecordClaims.Suffix;

    public bool Accepted => Dataset is not null;

    /// <summary>Raw copy and manifest for an accepted dataset; quarantine copy and report otherwise.</summary>
    public static Destination For(LakeLayout layout, string bucket, string? dataset, SourceVersion source) =>
        dataset is not null
            ? new(bucket, layout.RawKey(dataset, source.EventTime, source.Key), layout.ManifestKey(dataset, source.EventTime, source.Key), dataset)
            : new(bucket, layout.QuarantineKey(source.EventTime, source.Key), layout.QuarantineReportKey(source.EventTime, source.Key), null);

    /// <summary>Every place a verdict on this object could have gone: each dataset, then quarantine.</summary>
    public static IEnumerable<Destination> AllFor(IngestConfig config, string bucket, SourceVersion source) =>
        config.Validation.Schemas.Datasets.Select(d => For(config.Layout, bucket, d.Name, source)).Append(For(config.Layout, bucket, null, source));
}
