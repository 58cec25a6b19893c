using System.Runtime.CompilerServices;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

/// <summary>A dataset's column rules, compiled once per schema rather than once per file.</summary>
internal static class CompiledColumns
{
    private static readonly ConditionalWeakTable<DatasetSchema, CompiledColumn[]> Compiled = new();

    public static CompiledColumn[] Of(DatasetSchema dataset) =>
        Compiled.GetValue(dataset, d => [.. d.Columns.Select(c => new CompiledColumn(c))]);
}
