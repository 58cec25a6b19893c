using System.Globalization;
using System.IO.Compression;
using System.Text;
using DuckDB.NET.Data;
using IngestLambda.Analytics.Lake;
using IngestLambda.Analytics.Sql;
using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;

namespace IngestLambda.Analytics.Query;

/// <summary>
/// An in-memory DuckDB holding one snapshot: a view per dataset named as its Glue table (<c>movies</c>, <c>series</c>,
/// any contract's dataset in lower case), the rows of the datasets the questions are about as the table
/// <c>snapshot_rows</c> (the DuckDB engine layer), and the questions asked of it. Files are read exactly as their
/// contract's dialect says (delimiter, quoting, missing values; optional BOM, LF or CRLF, one header line), every
/// column typed from its declared type (Core's <see cref="ColumnTypes"/>), nothing guessed.
/// </summary>
internal sealed partial class LakeDatabase : IDisposable
{
    private readonly DuckDBConnection _connection = new("Data Source=:memory:");
    private readonly Dictionary<string, string> _displayNames = new(StringComparer.Ordinal);

    public LakeDatabase() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    /// <summary>Loads the snapshots; where an id appears on several days (--all), only its newest day's rows are kept.</summary>
    public IReadOnlyList<SnapshotSummary> Load(IReadOnlyList<DatasetSnapshot> snapshots, SchemaCatalog catalog)
    {
        var reads = new List<string>();
        foreach (var snapshot in snapshots)
        {
            var schema = catalog.Datasets.Single(d => d.Name == snapshot.Dataset);
            foreach (var file in snapshot.Files)
            {
                if (!file.IsParquet)
                    CheckHeader(file, schema); // a Parquet file's columns are read by name
                _displayNames[file.LocalPath] = file.Name;
            }
            // One read per day, so each row knows its date (the --all rule needs it).
            var days = snapshot.Files.GroupBy(file => file.Date).Select(day => day.All(f => f.IsParquet)
                ? ReadParquet(schema, day.Key, [.. day])
                : ReadCsv(schema, day.Key, [.. day])).ToList();
            Execute($"CREATE VIEW \"{schema.Name.ToLowerInvariant()}\" AS\n" + string.Join("\nUNION ALL\n", days));
            if (QuestionSql.SnapshotColumns.All(c => schema.Columns.Any(column => column.Name == c)))
                reads.Add($"SELECT {Literal(schema.Name)} AS dataset, dt, {string.Join(", ", QuestionSql.SnapshotColumns.Select(c => $"\"{c}\""))} FROM \"{schema.Name.ToLowerInvariant()}\"");
        }
        if (reads.Count == 0)
            throw new LakeDataException($"No dataset of this snapshot has the columns the questions read ({string.Join(", ", QuestionSql.SnapshotColumns)}).");
        Execute("CREATE TABLE all_rows AS\n" + string.Join("\nUNION ALL\n", reads));
        // Only a snapshot of several days can hold an id twice; one day is read as it is, without the window.
        Execute(snapshots.Any(s => s.FirstDate != s.LastDate)
            ? """
              CREATE TABLE snapshot_rows AS
              SELECT * EXCLUDE (dt) FROM all_rows
              QUALIFY dt = max(dt) OVER (PARTITION BY dataset, id)
              """
            : "CREATE VIEW snapshot_rows AS SELECT * EXCLUDE (dt) FROM all_rows");
        var counts = Query(string.Join("\nUNION ALL\n", snapshots.Select(s => CountSql(catalog.Datasets.Single(d => d.Name == s.Dataset)))),
            r => (Dataset: r.GetString(0), Rows: r.GetInt64(1), Titles: r.GetInt64(2))).ToDictionary(c => c.Dataset);
        return snapshots.Select(s => new SnapshotSummary(s.Dataset, s.DateLabel, s.Files.Count,
            counts.GetValueOrDefault(s.Dataset).Rows, counts.GetValueOrDefault(s.Dataset).Titles)).ToList();
    }

    public LakeAnswers Answer(IReadOnlyList<SnapshotSummary> snapshots) => new(
        snapshots,
        Query(QuestionSql.Load(QuestionSql.AverageRatingByGenreAndYear),
            r => new GenreYearRating(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3), r.GetInt64(4))),
        Query(QuestionSql.Load(QuestionSql.VotesVersusRating),
            r => new VotesVersusRating(r.GetString(0), r.GetInt64(1), NullableDouble(r, 2), NullableDouble(r, 3))),
        Query(QuestionSql.Load(QuestionSql.ProfessionsOfArtistsWithMoreThanThreeKnownTitles),
            r => new ProfessionCount(r.GetString(0), r.GetInt64(1))),
        Unanswerable.Countries);

    /// <summary>A fixed pseudo-random sample of rated titles (by a hash of the id) for the report's scatter plot.</summary>
    public IReadOnlyList<TitlePoint> SampleTitles(int perDataset) => Query($"""
        WITH titles AS (
            SELECT dataset, id, max(notaMedia) AS rating, max(numeroVotos) AS votes
            FROM snapshot_rows GROUP BY dataset, id)
        SELECT dataset, ln(votes), rating FROM titles
        WHERE rating IS NOT NULL AND votes > 0
        QUALIFY row_number() OVER (PARTITION BY dataset ORDER BY hash(id), id) <= {perDataset}
        """, r => new TitlePoint(r.GetString(0), r.GetDouble(1), r.GetDouble(2)));

    /// <summary>Rows and distinct titles (by <c>id</c>; a dataset without one counts rows) of a dataset's view.</summary>
    private static string CountSql(DatasetSchema schema)
    {
        var titles = schema.Columns.Any(c => c.Name == "id") ? "count(DISTINCT id)" : "count(*)";
        return $"SELECT {Literal(schema.Name)}, count(*), {titles} FROM \"{schema.Name.ToLowerInvariant()}\"";
    }

    /// <summary>
    /// One day's trusted files of a dataset: the contract's columns by name, cast to the types the CSV read gives (the
    /// Parquet types are the same, or wider where a value needed it), with the day as column <c>dt</c>.
    /// </summary>
    private static string ReadParquet(DatasetSchema schema, DateOnly date, IReadOnlyList<DataFile> files)
    {
        var paths = string.Join(", ", files.Select(file => Literal(file.LocalPath)));
        var columns = string.Join(", ", schema.Columns.Select(c => $"CAST(\"{c.Name}\" AS {ColumnTypes.DuckDb(c.Type)}) AS \"{c.Name}\""));
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"SELECT {columns}, DATE '{day}' AS dt\nFROM read_parquet([{paths}])";
    }

    /// <summary>One day's files of a dataset, read as its contract's dialect says, with the day as column <c>dt</c>.</summary>
    private static string ReadCsv(DatasetSchema schema, DateOnly date, IReadOnlyList<DataFile> files)
    {
        var paths = string.Join(", ", files.Select(file => Literal(file.LocalPath)));
        var columns = string.Join(", ", schema.Columns.Select(c => $"{Literal(c.Name)}: '{ColumnTypes.DuckDb(c.Type)}'"));
        var dialect = schema.Dialect;
        var quote = dialect.QuoteChar is { } q ? Literal(q.ToString()) : "''";
        var escape = dialect.QuoteChar is { } e && dialect.DoubleQuote ? Literal(e.ToString()) : "''";
        var missing = schema.Columns.SelectMany(c => c.MissingValues).Distinct(StringComparer.Ordinal).Select(Literal);
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"SELECT *, DATE '{day}' AS dt\n"
            + $"FROM read_csv([{paths}], delim = {Literal(dialect.Delimiter.ToString())}, quote = {quote}, escape = {escape}, "
            + $"nullstr = [{string.Join(", ", missing)}], header = true, auto_detect = false, strict_mode = true, columns = {{{columns}}})";
    }

    /// <summary>
    /// DuckDB is told the columns rather than reading them from the header, so a file whose header is not its
    /// dataset's (a hand-copied file in the wrong folder) must be caught here.
    /// </summary>
    private static void CheckHeader(DataFile file, DatasetSchema schema)
    {
        string? header;
        try
        {
            using Stream raw = File.OpenRead(file.LocalPath);
            using Stream content = file.IsGzip ? new GZipStream(raw, CompressionMode.Decompress) : raw;
            using var reader = new StreamReader(content, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
            header = reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new LakeDataException($"{file.Name}: cannot be read: {e.Message}");
        }
        if (header is null)
            throw new LakeDataException($"{file.Name}: line 1: the file is empty (a {schema.Name} file starts with its header).");
        if (header != schema.Header && !QuotedHeaderMatches(header, schema))
        {
            // A quoted dialect may quote the names: compare them without their quotes.
            var found = header.Split(schema.Dialect.Delimiter).Select(name => schema.Dialect.QuoteChar is { } q ? name.Trim(q) : name).ToArray();
            var index = Enumerable.Range(0, Math.Max(found.Length, schema.Columns.Count))
                .First(i => i >= found.Length || i >= schema.Columns.Count || found[i] != schema.Columns[i].Name);
            var expected = index < schema.Columns.Count ? schema.Columns[index].Name : "(end of line)";
            var actual = index < found.Length ? found[index] : "(end of line)";
            throw new LakeDataException(
                $"{file.Name}: line 1: not a {schema.Name} header: column {index + 1} is '{actual}', expected '{expected}'.");
        }
    }

    /// <summary>A quoted dialect's header may quote its names (<c>"id","title"</c>).</summary>
    private static bool QuotedHeaderMatches(string header, DatasetSchema schema) =>
        schema.Dialect.QuoteChar is { } quote && header.Replace(quote.ToString(), "", StringComparison.Ordinal) == schema.Header;

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            command.ExecuteNonQuery();
        }
        catch (DuckDBException e)
        {
            throw new LakeDataException(Describe(e));
        }
    }

    private List<T> Query<T>(string sql, Func<System.Data.Common.DbDataReader, T> map)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
                rows.Add(map(reader));
            return rows;
        }
        catch (DuckDBException e)
        {
            throw new LakeDataException(Describe(e));
        }
    }

    /// <summary>
    /// DuckDB's CSV errors name the file and the line; say that first, name the file as the lake does (not by its
    /// cache path), and drop DuckDB's advice about type detection, which does not apply (no type is guessed here).
    /// </summary>
    private string Describe(DuckDBException e)
    {
        var message = e.Message;
        foreach (var (local, name) in _displayNames)
            message = message.Replace(local, name, StringComparison.Ordinal);
        var lines = message.Split('\n');
        var line = lines.Select(l => CsvErrorLine().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        var file = lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("file = ", StringComparison.Ordinal))?["file = ".Length..];
        var original = Array.FindIndex(lines, l => l.StartsWith("Original Line:", StringComparison.Ordinal));
        if (line is null || file is null || original < 0 || original + 1 >= lines.Length)
            return $"A file could not be read as its dataset's CSV: {message.Split("Possible solutions")[0].Trim()}";
        return $"{file}: line {line}: {lines[original + 1].Trim()}\n  {lines[original].Trim()}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"CSV Error on Line: (\d+)")]
    private static partial System.Text.RegularExpressions.Regex CsvErrorLine();

    private static double? NullableDouble(System.Data.Common.DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) || double.IsNaN(reader.GetDouble(ordinal)) ? null : reader.GetDouble(ordinal);

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
