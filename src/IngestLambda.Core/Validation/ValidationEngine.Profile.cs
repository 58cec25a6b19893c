using IngestLambda.Core.Profiling;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

// The profile (docs/contracts.md "Profile"): every field of every record with the right field count goes to the
// profiler in the same pass, as the value's bytes (inside its quotes, doubled quotes read as one).
internal sealed partial class ValidationEngine
{
    private FileProfiler? _profiler;

    private void StartProfile(DatasetSchema dataset) =>
        _profiler = _options.Profile ? new FileProfiler(ProfileColumns.Of(dataset)) : null;

    private void ProfileRecord(FileProfiler profiler, ReadOnlySpan<byte> block, int lineStart, ReadOnlySpan<int> separators, int fieldCount)
    {
        var fieldStart = lineStart;
        for (var f = 0; f < fieldCount; f++)
        {
            var fieldEnd = separators[f];
            if (Quoted)
            {
                var (start, end) = Unquote(block, fieldStart, fieldEnd);
                var value = block[start..end];
                profiler.Field(f, _doubledQuotes && value.Contains(_quote) ? Unescape(value) : value);
            }
            else
                profiler.Field(f, block[fieldStart..fieldEnd]);
            fieldStart = fieldEnd + 1;
        }
        profiler.EndRecord();
    }
}
