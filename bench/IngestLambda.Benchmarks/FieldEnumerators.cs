using System.Globalization;
using System.Text;
using nietras.SeparatedValues;
using Sylvan.Data.Csv;

namespace IngestLambda.Benchmarks;

/// <summary>
/// What enumerating a file found: data rows, fields, and the summed field lengths (so no read can be skipped), in
/// UTF-16 chars for the readers that decode to text and in UTF-8 bytes for those that hand out bytes.
/// </summary>
internal readonly record struct FieldCount(long Rows, long Fields, long Length);

/// <summary>
/// The competing parsers, each set up for '|' with quoting disabled (a '"' is plain text in our files) and each
/// merely visiting every field of every data row.
/// </summary>
internal static class FieldEnumerators
{
    public static FieldCount Sep(byte[] bytes) => Sep(nietras.SeparatedValues.Sep.New('|').Reader(SepOptions).From(bytes));

    public static FieldCount SepFile(string path) => Sep(nietras.SeparatedValues.Sep.New('|').Reader(SepOptions).FromFile(path));

    private static SepReaderOptions SepOptions(SepReaderOptions o) => o with { HasHeader = true, DisableQuotesParsing = true };

    /// <summary>Sep on a quoted, comma-separated file (DataGen --quoted): quotes parsed, fields left as written (no unescaping).</summary>
    public static FieldCount SepQuotedFile(string path) =>
        Sep(nietras.SeparatedValues.Sep.New(',').Reader(o => o with { HasHeader = true }).FromFile(path));

    private static FieldCount Sep(SepReader reader)
    {
        using (reader)
        {
            long rows = 0, fields = 0, length = 0;
            foreach (var row in reader)
            {
                rows++;
                int count = row.ColCount;
                fields += count;
                for (int i = 0; i < count; i++)
                    length += row[i].Span.Length;
            }
            return new FieldCount(rows, fields, length);
        }
    }

    public static FieldCount Sylvan(byte[] bytes)
    {
        // Sylvan reads text, not bytes: it decodes UTF-8 through a StreamReader.
        using var text = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var options = new CsvDataReaderOptions
        {
            Delimiter = '|',
            // 1.4.4 has no "no quotes" switch: a quote character that never occurs (NUL is an error in our files) turns quoting off.
            Quote = '\0',
            HasHeaders = true,
            BufferSize = 1 << 16,
        };
        using var reader = CsvDataReader.Create(text, options);
        long rows = 0, fields = 0, length = 0;
        while (reader.Read())
        {
            rows++;
            int count = reader.RowFieldCount;
            fields += count;
            for (int i = 0; i < count; i++)
                length += reader.GetFieldSpan(i).Length;
        }
        return new FieldCount(rows, fields, length);
    }

    public static FieldCount CsvHelper(byte[] bytes)
    {
        // CsvHelper 34 is a rewrite: a SIMD reader over UTF-8 bytes (read in place from the array), fields as byte spans.
        var options = global::CsvHelper.CsvReaderOptions.Default with
        {
            Separator = '|',
            Mode = global::CsvHelper.CsvMode.NoEscape,
            HasHeader = true,
            TrimWhitespace = false,
            SkipEmptyLines = false,
        };
        using var reader = global::CsvHelper.CsvReader.Create(bytes, options);
        long rows = 0, fields = 0, length = 0;
        while (reader.Read())
        {
            rows++;
            int count = reader.FieldCount;
            fields += count;
            for (int i = 0; i < count; i++)
                length += reader.GetSpan(i).Length;
        }
        return new FieldCount(rows, fields, length);
    }

    /// <summary>The reference answer, with lengths in UTF-16 chars or in UTF-8 bytes: split every line on '|' by hand.</summary>
    public static FieldCount Reference(byte[] bytes, bool lengthInBytes)
    {
        string text = Encoding.UTF8.GetString(bytes.AsSpan(bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0));
        long rows = 0, fields = 0, length = 0;
        bool header = true;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty)
                continue;
            if (header)
            {
                header = false;
                continue;
            }
            rows++;
            foreach (var range in line.Split('|'))
            {
                fields++;
                length += lengthInBytes ? Encoding.UTF8.GetByteCount(line[range]) : line[range].Length;
            }
        }
        return new FieldCount(rows, fields, length);
    }
}
