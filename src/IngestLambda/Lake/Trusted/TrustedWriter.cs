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
    /// <summary>
    /// …or when its buffered values reach this many bytes (<see cref="FieldBytes"/> a field plus its text, a text repeated
    /// from the row before counted once), whichever comes first: what a group holds stays bounded for any row width.
    /// </summary>
    public long RowGroupBytes { get; init; } = RowGroupBytesFor(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    /// <summary>Size of each uploaded part but the last: S3's minimum, 5 MiB, the least memory.</summary>
    public int PartBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>What the budget counts for every field beside its text: its offsets and definition level, and the slice,
    /// dictionary entry and index the Parquet library keeps for it while its column is written.</summary>
    public const int FieldBytes = 16;

    /// <summary>
    /// A sixty-fourth of the memory the GC may use, between 1 and 16 MiB: 1 MiB in Lambda's smallest function (a 64 MiB
    /// heap beside the ranged read's 32 MiB of buffers), 15 MiB at 1024 MB. Bigger groups compress a little better;
    /// smaller ones keep a small function alive (docs/benchmarks.md "Trusted zone").
    /// </summary>
    public static long RowGroupBytesFor(long availableHeapBytes) => Math.Clamp(availableHeapBytes / 64, MinRowGroupBytes, MaxRowGroupBytes);

    private const long MinRowGroupBytes = 1L * 1024 * 1024;
    private const long MaxRowGroupBytes = 16L * 1024 * 1024;

    public static TrustedWriteOptions Default { get; } = new();
}

/// <summary>What a committed trusted object holds, for the manifest's <c>trusted</c> section.</summary>
public sealed record TrustedObject(string Key, long Rows, long Bytes, int RowGroups);

/// <summary>
/// Writes one trusted Parquet object while the landing object is read once (docs/contracts.md "Trusted zone"): rows come in
/// field by field (<see cref="AppendValue"/>, <see cref="AppendNull"/>, <see cref="EndRow"/>), a full row group is
/// encoded by <see cref="WriteFullRowGroupAsync"/> and its bytes go to S3 as parts fill. The object appears only on
/// <see cref="CommitAsync"/>; <see cref="AbortAsync"/> (or disposing uncommitted) leaves no object and no open upload.
/// Memory: one row group's values (<see cref="TrustedWriteOptions.RowGroupBytes"/>), one column's encoding at a time and one
/// part; the footer's metadata grows by a few hundred bytes a column chunk.
/// </summary>
internal sealed class TrustedWriter : IAsyncDisposable
{
    private readonly ColumnBuffer[] _columns;
    private readonly TextScratch _scratch = new();
    private readonly ParquetSchema _schema;
    private readonly TrustedUpload _upload;
    private readonly TrustedWriteOptions _options;
    private readonly PartBuffer _output;
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
        // Buffers start empty and grow with the group: a small file (or several at once in one batch) must not pay for a
        // full group up front.
        _columns = [.. columns.Select(ColumnBuffer.For)];
        _schema = new ParquetSchema(_columns.Select(c => (Field)c.Field));
        _upload = upload;
        _output = new PartBuffer(_options.PartBytes, upload.UploadPartAsync);
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
        var held = (buffer as TextColumnBuffer)?.HeldBytes ?? 0;
        if (!buffer.TryAppend(text))
            throw new UnrepresentableValueException(buffer.Column.Name, _rows + 1, Encoding.UTF8.GetString(text), buffer.Column.Kind);
        _bytesInGroup += TrustedWriteOptions.FieldBytes + ((buffer as TextColumnBuffer)?.HeldBytes ?? 0) - held;
    }

    /// <summary>The next field of the current row is missing (the CSV's <c>\N</c>).</summary>
    public void AppendNull()
    {
        var buffer = NextColumn();
        if (!buffer.Column.Nullable)
            throw new InvalidOperationException($"Column '{buffer.Column.Name}' is not nullable; the validator should have rejected row {_rows + 1}.");
        buffer.AppendNull();
        _bytesInGroup += TrustedWriteOptions.FieldBytes;
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

    /// <summary>Encodes the group column by column; each part goes up as it fills, while the group is written.</summary>
    private async Task WriteRowGroupAsync(CancellationToken cancellationToken)
    {
        _output.Cancellation = cancellationToken;
        _parquet ??= await ParquetWriter.CreateAsync(_schema, _output, OptionsFor(_columns), cancellationToken: cancellationToken).ConfigureAwait(false);
        using (var rowGroup = _parquet.CreateRowGroup())
        {
            foreach (var column in _columns)
                await column.WriteAsync(rowGroup, _scratch, cancellationToken).ConfigureAwait(false);
            rowGroup.CompleteValidate();
        }
        foreach (var column in _columns)
            column.Clear();
        _rowGroups++;
        _rowsInGroup = 0;
        _bytesInGroup = 0;
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
            _output.Cancellation = cancellationToken;
            await _parquet!.DisposeAsync().ConfigureAwait(false);
            var bytes = _output.Length;
            await _upload.CompleteAsync(_output.Held, cancellationToken).ConfigureAwait(false);
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
            MaximumSmallPoolFreeBytes = 1024 * 1024,
            MaximumLargePoolFreeBytes = 1024 * 1024,
        };
        foreach (var column in columns.Where(c => c.Column.Kind == ParquetKind.Utf8))
            options.ColumnEncodingHints[column.Field.Path.ToString()] = EncodingHint.Dictionary;
        return options;
    }
}
