using System.Numerics;
using IngestLambda.Core.Profiling;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

// What the single read hands on besides the verdict: each record's field values (a quoted field without its quotes,
// doubled quotes read as one) go to the profile (docs/contracts.md "Profile"; every record with the right field count,
// kept only for an accepted file) and to the row sink (docs/contracts.md "Trusted zone"; only while the file has no
// error), from one walk over the fields.
internal sealed partial class ValidationEngine
{
    private FileProfiler? _profiler;
    private IRowSink? _sink;

    /// <summary>Where valid rows' values go (IRowSink); set before the first byte is fed.</summary>
    public IRowSink? Sink
    {
        get => _sink;
        init => _sink = value;
    }

    private void StartHandingOn(DatasetSchema dataset)
    {
        _profiler = _options.Profile ? new FileProfiler(ProfileColumns.Of(dataset)) : null;
        _sink?.Begin(dataset);
    }

    /// <summary>
    /// Hands a checked record's values on: to the profiler, and to the sink unless this or an earlier line had an error.
    /// The first <paramref name="sharedFields"/> fields equal the previous line's (SkippableLeadingFields), and that line
    /// was handed on too: the profiler counts them again without their values (FileProfiler.Repeat).
    /// </summary>
    private void HandOnRecord(ReadOnlySpan<byte> block, int lineStart, ReadOnlySpan<int> separators, CompiledColumn[] columns, int sharedFields)
    {
        var profiler = _profiler;
        var sink = _pending.Count == 0 && _errorCount == 0 ? _sink : null;
        if (profiler is null && sink is null)
            return;
        var profiled = profiler?.Repeat(sharedFields) ?? 0; // bit f: field f still goes to the profiler
        if (sink is null)
        {
            for (var fields = profiled; fields != 0; fields &= fields - 1)
            {
                var f = BitOperations.TrailingZeroCount(fields);
                profiler!.Field(f, FieldValue(block, f == 0 ? lineStart : separators[f - 1] + 1, separators[f]));
            }
            profiler!.EndRecord();
            return;
        }
        var fieldStart = lineStart;
        for (var f = 0; f < columns.Length; f++)
        {
            var value = FieldValue(block, fieldStart, separators[f]);
            if ((profiled & (1UL << f)) != 0)
                profiler!.Field(f, value);
            if (columns[f].IsMissing(value))
                sink.Missing();
            else
                sink.Value(value);
            fieldStart = separators[f] + 1;
        }
        profiler?.EndRecord();
        sink.EndRow();
    }

    /// <summary>The field's value: its bytes, or in a quoted dialect its content with doubled quotes read as one.</summary>
    private ReadOnlySpan<byte> FieldValue(ReadOnlySpan<byte> block, int start, int end)
    {
        if (!Quoted)
            return block[start..end];
        var (contentStart, contentEnd) = Unquote(block, start, end);
        var content = block[contentStart..contentEnd];
        return _doubledQuotes && content.Contains(_quote) ? Unescape(content) : content;
    }
}
