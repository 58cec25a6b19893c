using System.IO.Compression;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace IngestLambda.Lake.Trusted;

/// <summary>Row-group and part sizes of the trusted write (docs/contracts.md "Trusted zone").</summary>
public sealed record TrustedWriteOptions
{
    /// <summary>A row group is written when it holds this many rows…</summary>
    public int RowGroupRows { get; init; } = 128 * 1024;
    /// <summary>…or this many bytes of field text, whichever comes first: memory stays bounded for wide rows.</summary>
    public long RowGroupBytes { get; init; } = 16L * 1024 * 1024;
    /// <summary>Size of each uploaded part but the last (S3's minimum is 5 MiB).</summary>
    public int PartBytes { get; init; } = 8 * 1024 * 1024;

    public static TrustedWriteOptions Default { get; } = new();
}

/// <summary>What a committed trusted object holds, for the manifest's <c>trusted</c> section.</summary>
public sealed record TrustedObject(string Key, long Rows, long Bytes, int RowGroups);

/// <summary>
/// Writes one trusted Parquet object while the landing object is read once (docs/contracts.md "Trusted zone"): rows come in
/// field by field (<see cref="AppendValue"/>, <see cref="AppendNull"/>, <see cref="EndRow"/>), a full row group is
/// encoded by <see cref="WriteFullRowGroupAsync"/> and its bytes go to S3 as parts fill. The object appears only on
/// <see cref="CommitAsync"/>; <see cref="AbortAsync"/> (or disposing uncommitted) leaves no object and no open upload.
/// Memory: one row group's values, its encoded bytes and one part.
/// </summary>
internal sealed class TrustedWriter : IAsyncDisposable
{
    private const int InitialRows = 1024;
    private readonly ColumnBuffer[] _columns;
    private readonly ParquetSchema _schema;
    private readonly TrustedUpload _upload;
    private readonly TrustedWriteOptions _options;
    private readonly PartBuffer _output = new();
    private ParquetWriter? _parquet;
    private int _column;
    private int _rowsInGroup;
    private long _bytesInGroup;
    private long _rows;
    private int _rowGroups;
    private bool _finished;

    public TrustedWriter(IReadOnlyList<TrustedColumn> columns, TrustedUpload upload, TrustedWriteOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(columns.Count);
        _options = options ?? TrustedWriteOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.PartBytes, 5 * 1024 * 1024);
        // Buffers start small and grow with the group: a small file (or several at once in one batch) must not pay
        // for a full group up front.
        _columns = [.. columns.Select(c => ColumnBuffer.For(c, Math.Min(_options.RowGroupRows, InitialRows)))];
        _schema = new ParquetSchema(_columns.Select(c => (Field)c.Field));
        _upload = upload;
    }

    public string Key => _upload.Key;

    /// <summary>Rows appended so far (the 1-based number of the row being filled is this plus one).</summary>
    public long Rows => _rows;

    /// <summary>Whether the row group being filled has reached its row or byte budget.</summary>
    public bool RowGroupFull => _rowsInGroup >= _options.RowGroupRows || _bytesInGroup >= _options.RowGroupBytes;

    /// <summary>The next field of the current row: its validated UTF-8 text (empty stays an empty string).</summary>
    /// <exception cref="UnrepresentableValueException">The value does not fit the column's Parquet type.</exception>
    public void AppendValue(ReadOnlySpan<byte> text)
    {
        var buffer = NextColumn();
        if (!buffer.TryAppend(text))
            throw new UnrepresentableValueException(buffer.Column.Name, _rows + 1, Encoding.UTF8.GetString(text), buffer.Column.Kind);
        _bytesInGroup += text.Length;
    }

    /// <summary>The next field of the current row is missing (the CSV's <c>\N</c>).</summary>
    public void AppendNull()
    {
        var buffer = NextColumn();
        if (!buffer.Column.Nullable)
            throw new InvalidOperationException($"Column '{buffer.Column.Name}' is not nullable; the validator should have rejected row {_rows + 1}.");
        buffer.AppendNull();
    }

    public void EndRow()
    {
        if (_column != _columns.Length)
            throw new InvalidOperationException($"Row {_rows + 1} has {_column} fields; the trusted schema has {_columns.Length}.");
        _column = 0;
        _rowsInGroup++;
        _rows++;
    }

    private ColumnBuffer NextColumn()
    {
        if (_finished)
            throw new InvalidOperationException("The trusted writer is committed or aborted.");
        if (_column == _columns.Length)
            throw new InvalidOperationException($"Row {_rows + 1} has more fields than the trusted schema's {_columns.Length}.");
        return _columns[_column++];
    }

    /// <summary>Encodes the row group when it is full and uploads the parts that filled; nothing otherwise.</summary>
    public async Task WriteFullRowGroupAsync(CancellationToken cancellationToken)
    {
        if (RowGroupFull)
            await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteRowGroupAsync(CancellationToken cancellationToken)
    {
        _parquet ??= await ParquetWriter.CreateAsync(_schema, _output, OptionsFor(_columns), cancellationToken: cancellationToken).ConfigureAwait(false);
        using (var rowGroup = _parquet.CreateRowGroup())
        {
            foreach (var column in _columns)
                await column.WriteAsync(rowGroup, cancellationToken).ConfigureAwait(false);
            rowGroup.CompleteValidate();
        }
        foreach (var column in _columns)
            column.Clear();
        _rowGroups++;
        _rowsInGroup = 0;
        _bytesInGroup = 0;
        while (_output.Held >= _options.PartBytes)
            await _upload.UploadPartAsync(_output.Take(_options.PartBytes), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the last row group and the footer, uploads the rest and makes the object visible.</summary>
    public async Task<TrustedObject> CommitAsync(CancellationToken cancellationToken)
    {
        if (_column != 0)
            throw new InvalidOperationException($"Row {_rows + 1} is incomplete.");
        try
        {
            // A file without data rows still gets its schema: one empty row group is what other writers make too.
            if (_rowsInGroup > 0 || _parquet is null)
                await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
            await _parquet!.DisposeAsync().ConfigureAwait(false);
            var bytes = _output.Length;
            await _upload.CompleteAsync(_output.Take(_output.Held), cancellationToken).ConfigureAwait(false);
            _finished = true;
            return new TrustedObject(_upload.Key, _rows, bytes, _rowGroups);
        }
        catch
        {
            await AbortAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Drops what was written: no object, no open upload.</summary>
    public async Task AbortAsync()
    {
        _finished = true;
        await _upload.AbortAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
            await AbortAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Snappy (docs/benchmarks.md "Trusted zone"). Statistics (min, max, null count) are written for every column chunk.
    /// Text is dictionary-encoded where at most 80% of a chunk's values are distinct, judged on its first 10,000 values so
    /// a column of unique ids is not scanned twice. The writer's pool of encoding buffers is bounded, not kept forever.
    /// </summary>
    private static ParquetOptions OptionsFor(IEnumerable<ColumnBuffer> columns)
    {
        var options = new ParquetOptions
        {
            CompressionMethod = CompressionMethod.Snappy,
            CompressionLevel = CompressionLevel.Fastest,
            DictionaryEncodingThreshold = 0.8,
            DictionaryEncodingSampleSize = 10_000,
            MaximumSmallPoolFreeBytes = 4 * 1024 * 1024,
            MaximumLargePoolFreeBytes = 32 * 1024 * 1024,
        };
        foreach (var column in columns.Where(c => c.Column.Kind == ParquetKind.Utf8))
            options.ColumnEncodingHints[column.Field.Path.ToString()] = EncodingHint.Dictionary;
        return options;
    }
}
