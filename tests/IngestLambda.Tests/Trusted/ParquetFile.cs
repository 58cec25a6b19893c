using DuckDB.NET.Data;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Trusted;

/// <summary>
/// A trusted object downloaded from the test lake and read by DuckDB, the independent reader: the writer's own
/// library never judges its files.
/// </summary>
internal sealed class ParquetFile : IDisposable
{
    private readonly DuckDBConnection _duck = new("Data Source=:memory:");

    private ParquetFile(string path)
    {
        Path = path;
        _duck.Open();
    }

    public string Path { get; }

    public static async Task<ParquetFile> DownloadAsync(TestLake lake, string key)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "trusted-" + Guid.NewGuid().ToString("N") + ".parquet");
        using (var response = await lake.S3.GetObjectAsync(lake.Bucket, key))
        await using (var file = File.Create(path))
            await response.ResponseStream.CopyToAsync(file);
        return new ParquetFile(path);
    }

    /// <summary>Every row of <paramref name="sql"/>, where <c>t</c> stands for the file (<c>read_parquet</c>).</summary>
    public List<object?[]> Rows(string sql)
    {
        using var command = _duck.CreateCommand();
        command.CommandText = sql.Replace("{t}", $"read_parquet('{Path}')", StringComparison.Ordinal)
            .Replace("{meta}", $"parquet_metadata('{Path}')", StringComparison.Ordinal)
            .Replace("{schema}", $"parquet_schema('{Path}')", StringComparison.Ordinal);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public object? Scalar(string sql) => Rows(sql).Single().Single();

    /// <summary>
    /// Asserts the file holds exactly the rows of <paramref name="csv"/> (a pipe-delimited, unquoted sample, <c>\N</c> as
    /// null): each Parquet column cast back to text, both directions of EXCEPT ALL empty, so the same rows as often.
    /// </summary>
    public void AssertEqualsCsv(byte[] csv)
    {
        var csvPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"trusted-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(csvPath, csv);
        try
        {
            var header = System.Text.Encoding.UTF8.GetString(csv[..Array.IndexOf(csv, (byte)'\n')]).Split('|');
            var asText = string.Join(", ", header.Select(c => $"CAST(\"{c}\" AS VARCHAR) AS \"{c}\""));
            var fromCsv = $"SELECT * FROM read_csv('{csvPath}', delim='|', header=true, quote='', escape='', nullstr='\\N', all_varchar=true)";
            var fromParquet = $"SELECT {asText} FROM {{t}}";
            Assert.Equal(0L, Scalar($"SELECT count(*) FROM (({fromCsv}) EXCEPT ALL ({fromParquet}))"));
            Assert.Equal(0L, Scalar($"SELECT count(*) FROM (({fromParquet}) EXCEPT ALL ({fromCsv}))"));
            Assert.Equal(Scalar($"SELECT count(*) FROM ({fromCsv})"), Scalar("SELECT count(*) FROM {t}"));
        }
        finally
        {
            File.Delete(csvPath);
        }
    }

    public void Dispose()
    {
        _duck.Dispose();
        File.Delete(Path);
    }
}
