using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

// The row sink: each valid row's values, handed on while the file has no error (IRowSink).
internal sealed partial class ValidationEngine
{
    private IRowSink? _sink;

    /// <summary>Where valid rows' values go; set before the first byte is fed.</summary>
    public IRowSink? Sink
    {
        get => _sink;
        init => _sink = value;
    }

    private void BeginSink(DatasetSchema dataset) => _sink?.Begin(dataset);

    /// <summary>Hands a checked row to the sink, unless this or an earlier line had an error (the file is then rejected).</summary>
    private void SendRow(ReadOnlySpan<byte> block, int lineStart, ReadOnlySpan<int> separators, CompiledColumn[] columns)
    {
        if (_sink is not { } sink || _pending.Count != 0 || _errorCount != 0)
            return;
        for (var f = 0; f < columns.Length; f++)
        {
            var fieldStart = f == 0 ? lineStart : separators[f - 1] + 1;
            var value = block[fieldStart..separators[f]];
            if (Quoted)
            {
                var (start, end) = Unquote(block, fieldStart, separators[f]);
                value = _doubledQuotes && block[start..end].Contains(_quote) ? Unescape(block[start..end]) : block[start..end];
            }
            if (columns[f].IsMissing(value))
                sink.Missing();
            else
                sink.Value(value);
        }
        sink.EndRow();
    }
}
