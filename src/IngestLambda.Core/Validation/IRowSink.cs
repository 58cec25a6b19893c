using IngestLambda.Core.Schemas;

namespace IngestLambda.Core.Validation;

/// <summary>
/// Receives the values of each valid data row while the validator reads the file, so a typed copy can be written in the
/// same single read (docs/contracts.md "Trusted zone"). Rows come only while the file has no error: once one is found the
/// file is rejected, and the sink hears nothing more. Values are the field's content: a quoted field without its quotes
/// and with each doubled quote read as one.
/// </summary>
public interface IRowSink
{
    /// <summary>The header named <paramref name="dataset"/>: the rows that follow have its columns, in its order.</summary>
    void Begin(DatasetSchema dataset);

    /// <summary>The row's next field, valid for its column (an empty field is an empty value). The span lives for this call only.</summary>
    void Value(ReadOnlySpan<byte> value);

    /// <summary>The row's next field is one of the column's missing values (null).</summary>
    void Missing();

    void EndRow();

    /// <summary>Called between the blocks the validator reads (never inside one): a sink writes out what it has buffered.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
