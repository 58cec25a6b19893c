using System.Text;
using IngestLambda.Core.Schemas;
using IngestLambda.Core.Validation;

namespace IngestLambda.Core.Contracts.Inference;

/// <summary>
/// Drafts a contract from a sample in one streamed pass (<c>bootstrap contract infer</c>, docs/contracts.md "Dataset contracts"):
/// the dialect, each column's type, <c>required</c> where no null occurs, an enum where few distinct values do, the
/// range, and the shape of lists. The header line gives the delimiter (unless one is given); the rows are read as
/// quoted (RFC 4180) and as unquoted side by side, and the sample decides which holds: a misplaced quote means the
/// feed does not quote. The draft is for a person to review: a sample cannot show a rule it never breaks.
/// </summary>
public static class ContractInference
{
    private const int ReadBytes = 64 * 1024;
    private static readonly char[] DelimiterCandidates = [',', '\t', ';', '|'];

    /// <summary>The drafted contract (JSON, valid for <see cref="ContractReader"/>) and what the sample held.</summary>
    public sealed record Draft(string Json, CsvDialect Dialect, long Rows, long SkippedRows);

    public static async Task<Draft> InferAsync(Stream sample, string name, char? delimiter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var header = new List<byte>();
        RecordReader? quoted = null, unquoted = null;
        var buffer = new byte[ReadBytes];
        var first = true;
        int read;
        while ((read = await sample.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            if (first && span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                span = span[3..];
            first = false;
            if (quoted is null)
            {
                var lineFeed = span.IndexOf((byte)'\n');
                header.AddRange(lineFeed < 0 ? span : span[..lineFeed]);
                if (lineFeed < 0)
                    continue;
                (quoted, unquoted) = Readers(HeaderText(header), delimiter);
                span = span[(lineFeed + 1)..];
            }
            quoted.Read(span);
            unquoted!.Read(span);
        }
        if (quoted is null)
        {
            if (header.Count == 0)
                throw new InvalidDataException("The sample is empty: a header line and rows are needed.");
            (quoted, unquoted) = Readers(HeaderText(header), delimiter);
        }
        quoted.Finish();
        unquoted!.Finish();
        // Quoting holds unless a quote stood where RFC 4180 allows none; with no quote in the sample, the delimiter's usual practice decides.
        var useQuoted = !quoted.Faulted && (quoted.SawQuote || quoted.Dialect.Delimiter is ',' or ';');
        var chosen = useQuoted ? quoted : unquoted;
        return new Draft(ContractWriter.Write(name, chosen.Dialect, chosen.Profiles, chosen.Rows), chosen.Dialect, chosen.Rows, chosen.Skipped);
    }

    private static string HeaderText(List<byte> header)
    {
        var text = Encoding.UTF8.GetString([.. header]);
        return text.EndsWith('\r') ? text[..^1] : text;
    }

    private static (RecordReader Quoted, RecordReader Unquoted) Readers(string header, char? delimiter)
    {
        var chosen = delimiter ?? DelimiterCandidates.MaxBy(c => header.Count(h => h == c));
        if (delimiter is null && header.All(c => !DelimiterCandidates.Contains(c)))
            chosen = ','; // one column: the standard's delimiter
        var quotedDialect = new CsvDialect { Delimiter = chosen, QuoteChar = '"' };
        var unquotedDialect = new CsvDialect { Delimiter = chosen, QuoteChar = null };
        return (new RecordReader(quotedDialect, ValidationEngine.HeaderNames(header, quotedDialect)),
            new RecordReader(unquotedDialect, ValidationEngine.HeaderNames(header, unquotedDialect)));
    }

    /// <summary>Splits the rows of one dialect into fields, byte by byte, and profiles each column.</summary>
    private sealed class RecordReader
    {
        private readonly byte _delimiter;
        private readonly bool _quoted;
        private QuoteWalker _walker;
        private readonly List<byte[]> _fields = [];
        private byte[] _field = new byte[256];
        private int _length;
        private QuoteWalker.Kind _previous = QuoteWalker.Kind.Delimiter;
        private bool _recordHasBytes;

        public RecordReader(CsvDialect dialect, List<string> names)
        {
            Dialect = dialect;
            _delimiter = (byte)dialect.Delimiter;
            _quoted = dialect.QuoteChar is not null;
            _walker = new QuoteWalker(_delimiter, (byte)'"');
            Profiles = [.. names.Select(n => new ColumnProfile(n))];
        }

        public CsvDialect Dialect { get; }
        public IReadOnlyList<ColumnProfile> Profiles { get; }
        public long Rows { get; private set; }
        public long Skipped { get; private set; }
        public bool Faulted { get; private set; }
        public bool SawQuote { get; private set; }

        public void Read(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                if (Faulted)
                    return;
                var kind = _quoted ? _walker.Next(b)
                    : b == _delimiter ? QuoteWalker.Kind.Delimiter : b == (byte)'\n' ? QuoteWalker.Kind.LineFeed : QuoteWalker.Kind.Data;
                if (_previous == QuoteWalker.Kind.Closing && kind is QuoteWalker.Kind.Data && b != (byte)'\r')
                    Faulted = true; // text after a closing quote
                switch (kind)
                {
                    case QuoteWalker.Kind.Stray: Faulted = true; break;
                    case QuoteWalker.Kind.Opening: SawQuote = true; if (_previous == QuoteWalker.Kind.Closing) Append(b); break; // a doubled quote is one
                    case QuoteWalker.Kind.Closing: break;
                    case QuoteWalker.Kind.Delimiter: EndField(); break;
                    case QuoteWalker.Kind.LineFeed: EndRecord(); break;
                    default: Append(b); break;
                }
                _previous = kind;
                _recordHasBytes = kind != QuoteWalker.Kind.LineFeed;
            }
        }

        public void Finish()
        {
            if (_quoted && _walker.InQuote)
                Faulted = true;
            if (_recordHasBytes)
                EndRecord();
        }

        private void Append(byte b)
        {
            if (_length == _field.Length)
                Array.Resize(ref _field, _field.Length * 2);
            _field[_length++] = b;
        }

        private void EndField()
        {
            _fields.Add(_field.AsSpan(0, _length).ToArray());
            _length = 0;
        }

        private void EndRecord()
        {
            if (_length > 0 && _field[_length - 1] == (byte)'\r' && _previous != QuoteWalker.Kind.Closing)
                _length--; // CRLF
            EndField();
            if (_fields.Count == Profiles.Count)
            {
                for (var k = 0; k < _fields.Count; k++)
                    Profiles[k].Add(_fields[k]);
                Rows++;
            }
            else
            {
                Skipped++;
            }
            _fields.Clear();
        }
    }
}
