using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using IngestLambda.Core.Validation;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Benchmarks;

/// <summary>
/// Issue #23: what reading the dataset contracts at start-up costs, warm (the cold cost in the Native AOT binary is
/// measured by bench/startup/startup_bench.py A/B against a build with the embedded schemas.json).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class ContractBenchmarks
{
    private readonly string _folder = Path.Combine(AppContext.BaseDirectory, ContractFolder.FolderName);

    /// <summary>Both shipped contracts: list the folder, read and parse each file, check it, compile the rules.</summary>
    [Benchmark(Description = "SchemaCatalog.Load(contracts/): Movies and Series")]
    public int LoadShippedContracts()
    {
        var catalog = SchemaCatalog.Load(_folder);
        var columns = 0;
        foreach (var dataset in catalog.Datasets)
            columns += CompiledColumns.Of(dataset).Length; // compiled when the first file arrives: part of the cost
        return columns;
    }

    private sealed class InProcessConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public InProcessConfig() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }
}
