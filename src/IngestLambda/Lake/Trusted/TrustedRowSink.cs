using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Lake.Trusted;

/// <summary>
/// Feeds the validator's rows to a <see cref="TrustedWriter"/>, opened once the header names the dataset. A value its
/// Parquet type cannot hold stops the feed and is kept as <see cref="Refused"/>: the caller rejects the file with
/// <c>invalid-value</c> and aborts the writer (docs/contracts.md "Trusted zone").
/// </summary>
internal sealed class TrustedRowSink(Func<DatasetSchema, TrustedWriter> open) : IRowSink, IAsyncDisposable
{
    /// <summary>Null until the header is known (or when it never is).</summary>
    public TrustedWriter? Writer { get; private set; }

    /// <summary>The value that could not be written, if one was met.</summary>
    public UnrepresentableValueException? Refused { get; private set; }

    public void Begin(DatasetSchema dataset) => Writer = open(dataset);

    public void Value(ReadOnlySpan<byte> value)
    {
        if (Refused is not null || Writer is null)
            return;
        try
        {
            Writer.AppendValue(value);
        }
        catch (UnrepresentableValueException e)
        {
            Refused = e;
        }
    }

    public void Missing()
    {
        if (Refused is null)
            Writer?.AppendNull();
    }

    public void EndRow()
    {
        if (Refused is null)
            Writer?.EndRow();
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (Refused is null && Writer is not null)
            await Writer.WriteFullRowGroupAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aborts the writer unless it was committed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Writer is not null)
            await Writer.DisposeAsync().ConfigureAwait(false);
    }
}
