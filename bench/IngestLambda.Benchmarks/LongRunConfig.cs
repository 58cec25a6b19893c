using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace IngestLambda.Benchmarks;

/// <summary>
/// Each operation reads hundreds of MB, so a few single-invocation iterations are plenty: one warm-up, five measured
/// (Monitoring strategy: no pilot stage, no invocation multiplying). In-process, because the generated out-of-process
/// project would be built under this repository's warnings-as-errors props and doubles the build time on a busy box.
/// </summary>
public sealed class LongRunConfig : ManualConfig
{
    public LongRunConfig()
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("LongRun"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new ThroughputColumn(), StatisticColumn.Median, StatisticColumn.Min);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}

/// <summary>MB/s (10^6 bytes per second) of the input file at the mean and the best iteration.</summary>
public sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);
    public string ColumnName => "MB/s (mean | best)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Input bytes / time, in MB/s (10^6 bytes), at the mean and at the fastest iteration";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null || !File.Exists(BenchData.MoviesPath))
            return "-";
        double bytes = new FileInfo(BenchData.MoviesPath).Length;
        double mean = bytes / (statistics.Mean / 1e9) / 1e6;
        double best = bytes / (statistics.Min / 1e9) / 1e6;
        return string.Create(CultureInfo.InvariantCulture, $"{mean:F0} | {best:F0}");
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
