using System.Text;
using Amazon.S3.Model;
using IngestLambda.Lake.Trusted;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Trusted;

/// <summary>
/// The trusted writer against moto_server, each file read back by DuckDB (docs/contracts.md "Trusted zone"): types,
/// values, nulls, statistics, row groups, parts, and no object nor open upload after an abort.
/// </summary>
public sealed class TrustedWriterTests(MotoServer moto) : LakeTests(moto)
{
    private const string TrustedKey = "Trusted/Local/Parquet/Movies/2026/11/26/movies.parquet";
    private const int FiveMiB = 5 * 1024 * 1024;

    private static readonly TrustedColumn[] AllKinds =
    [
        new("id", ParquetKind.Utf8) { Nullable = false },
        new("title", ParquetKind.Utf8),
        new("year", ParquetKind.Int32),
        new("votes", ParquetKind.Int64),
        new("rating", ParquetKind.Double),
        new("released", ParquetKind.Date),
        new("adult", ParquetKind.Boolean),
    ];

    private static TrustedWriter Writer(TestLake lake, TrustedColumn[] columns, TrustedWriteOptions? options = null) =>
        new(columns, new TrustedUpload(lake.S3, lake.Bucket, TrustedKey, TimeSpan.FromSeconds(5)), options);

    /// <summary>Feeds rows as the validator would: null for <c>\N</c>, otherwise the field's text.</summary>
    private static async Task FeedAsync(TrustedWriter writer, IEnumerable<string?[]> rows)
    {
        foreach (var row in rows)
        {
            foreach (var field in row)
            {
                if (field is null)
                    writer.AppendNull();
                else
                    writer.AppendValue(Encoding.UTF8.GetBytes(field));
            }
            writer.EndRow();
            await writer.WriteFullRowGroupAsync(CancellationToken.None);
        }
    }

    private static async Task<int> OpenUploadsAsync(TestLake lake) =>
        (await lake.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = lake.Bucket })).MultipartUploads?.Count ?? 0;

    [Fact]
    public async Task Values_nulls_empties_and_types_read_back_as_written()
    {
        using var lake = await NewLakeAsync();
        await using var writer = Writer(lake, AllKinds);
        await FeedAsync(writer,
        [
            ["tt0000001", "Carmencita", "1894", "2200", "5.7", "1894-03-10", "false"],
            ["tt0000002", "", null, null, null, null, null],
            ["tt0000003", "Pauvre Pierrot é", "-12", "9000000000", "10.0", "2024-02-29", "1"],
        ]);
        var written = await writer.CommitAsync(CancellationToken.None);

        Assert.Equal(new TrustedObject(TrustedKey, 3, written.Bytes, 1), written);
        using var file = await ParquetFile.DownloadAsync(lake, TrustedKey);
        Assert.Equal(written.Bytes, new FileInfo(file.Path).Length);
        var types = file.Rows("SELECT typeof(id), typeof(title), typeof(year), typeof(votes), typeof(rating), typeof(released), typeof(adult) FROM {t} LIMIT 1").Single();
        Assert.Equal(["VARCHAR", "VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "DATE", "BOOLEAN"], types.Select(t => (string)t!));
        var rows = file.Rows("SELECT id, title, year, votes, rating, CAST(released AS VARCHAR), adult FROM {t} ORDER BY id");
        Assert.Equal<object?>(["tt0000001", "Carmencita", 1894, 2200L, 5.7, "1894-03-10", false], rows[0]);
        Assert.Equal<object?>(["tt0000002", "", null, null, null, null, null], rows[1]); // empty stays empty, \N is null
        Assert.Equal<object?>(["tt0000003", "Pauvre Pierrot é", -12, 9_000_000_000L, 10.0, "2024-02-29", true], rows[2]);
        // The required column is REQUIRED, the others OPTIONAL.
        var repetition = file.Rows("SELECT name, repetition_type FROM {schema} WHERE name <> 'duckdb_schema'").ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("REQUIRED", repetition["id"]);
        Assert.Equal("OPTIONAL", repetition["year"]);
    }

    [Fact]
    public async Task Every_column_chunk_has_statistics_and_compression_and_repeated_text_is_dictionary_encoded()
    {
        using var lake = await NewLakeAsync();
        await using var writer = Writer(lake, AllKinds);
        await FeedAsync(writer, Enumerable.Range(0, 500).Select(i => new[]
        {
            $"tt{i:D7}", i % 2 == 0 ? "Drama" : "Comedy", (1900 + i).ToString(), i % 3 == 0 ? null : i.ToString(), "7.5", "2000-01-01", "true",
        }));
        await writer.CommitAsync(CancellationToken.None);

        using var file = await ParquetFile.DownloadAsync(lake, TrustedKey);
        var chunks = file.Rows("SELECT path_in_schema, compression, stats_min_value, stats_max_value, stats_null_count, encodings FROM {meta}");
        Assert.Equal(AllKinds.Length, chunks.Count);
        Assert.All(chunks, c => Assert.Equal("SNAPPY", c[1]));
        Assert.All(chunks, c => Assert.NotNull(c[4]));
        // Min and max in every chunk but BOOLEAN's, for which the writer records only the null count (docs/contracts.md "Trusted zone").
        Assert.All(chunks.Where(c => (string)c[0]! != "adult"), c => Assert.NotNull(c[2]));
        var byColumn = chunks.ToDictionary(c => (string)c[0]!);
        Assert.Equal(("1900", "2399"), ((string)byColumn["year"][2]!, (string)byColumn["year"][3]!));
        Assert.Equal(167L, Convert.ToInt64(byColumn["votes"][4]));
        Assert.Contains("DICTIONARY", (string)byColumn["title"][5]!);
    }

    [Fact]
    public async Task A_one_row_file_and_a_file_whose_nullable_columns_are_all_null()
    {
        using var lake = await NewLakeAsync();
        await using (var one = Writer(lake, AllKinds))
        {
            await FeedAsync(one, [["tt0000001", "x", "2000", "1", "1.0", "2000-01-01", "TRUE"]]);
            Assert.Equal(1, (await one.CommitAsync(CancellationToken.None)).Rows);
        }
        using (var file = await ParquetFile.DownloadAsync(lake, TrustedKey))
            Assert.Equal(1L, file.Scalar("SELECT count(*) FROM {t} WHERE adult AND year = 2000"));

        await using var allNull = Writer(lake, AllKinds);
        await FeedAsync(allNull, Enumerable.Range(0, 1000).Select(i => new string?[] { $"tt{i:D7}", null, null, null, null, null, null }));
        await allNull.CommitAsync(CancellationToken.None);
        using var nulls = await ParquetFile.DownloadAsync(lake, TrustedKey);
        // The footer's null counts too: DuckDB answers count(column) from them.
        Assert.Equal(["0", "1000", "1000", "1000", "1000", "1000", "1000"],
            nulls.Rows("SELECT path_in_schema || ':' || stats_null_count || ':' || coalesce(stats_min_value, '-') FROM {meta} ORDER BY column_id").Select(r => ((string)r[0]!).Split(':')[1]));
        Assert.Equal<object?>([1000L, 0L, 0L, 0L, 0L, 0L, 0L],
            nulls.Rows("SELECT count(*), count(title), count(year), count(votes), count(rating), count(released), count(adult) FROM {t}").Single());
    }

    [Fact]
    public async Task Row_groups_follow_the_row_and_byte_budgets_and_parts_go_up_before_the_commit()
    {
        using var lake = await NewLakeAsync();
        // Incompressible text, so the file passes one 5 MiB part well before its end.
        var random = new Random(26);
        var rows = Enumerable.Range(0, 60_000).Select(i => new string?[] { $"tt{i:D7}", Convert.ToHexString(RandomBytes(random, 64)), (i % 100).ToString(), i.ToString(), "0.5", "2001-02-03", "false" }).ToList();
        var options = new TrustedWriteOptions { RowGroupRows = 10_000, RowGroupBytes = 1024 * 1024, PartBytes = FiveMiB };
        await using var writer = Writer(lake, AllKinds, options);
        await FeedAsync(writer, rows);

        // Before the commit: an open upload holding parts, and no visible object.
        Assert.Equal(1, await OpenUploadsAsync(lake));
        Assert.Empty(await lake.AllKeysAsync("Trusted/"));
        var written = await writer.CommitAsync(CancellationToken.None);

        Assert.Equal(0, await OpenUploadsAsync(lake));
        using var file = await ParquetFile.DownloadAsync(lake, TrustedKey);
        Assert.True(written.Bytes > FiveMiB, $"{written.Bytes} bytes");
        // About 140 bytes of text a row plus 16 for each of its 7 fields: the 1 MiB budget closes a group near 4,200 rows,
        // before the 10,000-row one.
        var groups = file.Rows("SELECT row_group_id, max(row_group_num_rows) FROM {meta} GROUP BY row_group_id ORDER BY row_group_id");
        Assert.Equal(written.RowGroups, groups.Count);
        Assert.True(groups.Count >= 12, $"{groups.Count} row groups");
        Assert.All(groups.SkipLast(1), g => Assert.InRange(Convert.ToInt64(g[1]), 3_500, 4_999));
        Assert.Equal<object?>([60_000L, 60_000L * 59_999 / 2, rows[12_345][1]],
            file.Rows("SELECT count(*), CAST(sum(votes) AS BIGINT), max(CASE WHEN id = 'tt0012345' THEN title END) FROM {t}").Single());
    }

    [Fact]
    public async Task Text_repeated_row_after_row_is_kept_once_and_reads_back_for_every_row()
    {
        using var lake = await NewLakeAsync();
        TrustedColumn[] columns = [new("id", ParquetKind.Utf8) { Nullable = false }, new("name", ParquetKind.Utf8), new("n", ParquetKind.Int32)];
        // Repeats across nulls, empties and row-group ends (5 rows a group), and a multi-byte text.
        string?[] names = ["Ana", "Ana", null, "Ana", "", "", "Zoë", "Zoë", "Zoë", "Ana", null, null, "b"];
        var options = new TrustedWriteOptions { RowGroupRows = 5 };
        await using var writer = Writer(lake, columns, options);
        await FeedAsync(writer, names.Select((name, i) => new[] { $"r{i:D2}", name, i % 3 == 0 ? null : i.ToString() }));
        var written = await writer.CommitAsync(CancellationToken.None);

        Assert.Equal(3, written.RowGroups);
        using var file = await ParquetFile.DownloadAsync(lake, TrustedKey);
        var rows = file.Rows("SELECT name, n FROM {t} ORDER BY id");
        Assert.Equal(names, rows.Select(r => (string?)r[0]));
        Assert.Equal(names.Select((_, i) => i % 3 == 0 ? null : (object?)i), rows.Select(r => r[1]));
        // Statistics per group: the first group's names run from "" to "Ana", the second's from "" to "Zoë"; nulls counted.
        var stats = file.Rows("SELECT stats_min_value, stats_max_value, stats_null_count FROM {meta} WHERE path_in_schema = 'name' ORDER BY row_group_id");
        Assert.Equal<object?>(["", "Ana", 1L], [stats[0][0], stats[0][1], Convert.ToInt64(stats[0][2])]);
        Assert.Equal<object?>(["", "Zoë", 0L], [stats[1][0], stats[1][1], Convert.ToInt64(stats[1][2])]);
    }

    [Theory]
    [InlineData(64L * 1024 * 1024, 1L * 1024 * 1024)] // Lambda's 128 MB: a 64 MiB heap
    [InlineData(960L * 1024 * 1024, 15L * 1024 * 1024)] // 1024 MB
    [InlineData(24L * 1024 * 1024 * 1024, 16L * 1024 * 1024)] // no limit: capped
    [InlineData(0L, 1L * 1024 * 1024)] // unknown: the least
    public void The_row_group_budget_follows_the_heap_the_function_has(long heapBytes, long budget) =>
        Assert.Equal(budget, TrustedWriteOptions.RowGroupBytesFor(heapBytes));

    [Fact]
    public async Task An_abort_or_a_dispose_without_commit_leaves_no_object_and_no_open_upload()
    {
        using var lake = await NewLakeAsync();
        var random = new Random(7);
        var options = new TrustedWriteOptions { RowGroupRows = 5_000, PartBytes = FiveMiB };
        foreach (var abort in new[] { true, false })
        {
            var writer = Writer(lake, AllKinds, options);
            await FeedAsync(writer, Enumerable.Range(0, 60_000).Select(i => new string?[] { $"tt{i:D7}", Convert.ToHexString(RandomBytes(random, 64)), "1", "1", "1", "2001-01-01", "0" }));
            Assert.Equal(1, await OpenUploadsAsync(lake)); // parts went up
            if (abort)
                await writer.AbortAsync();
            await writer.DisposeAsync();
            Assert.Equal(0, await OpenUploadsAsync(lake));
            Assert.Empty(await lake.AllKeysAsync("Trusted/"));
        }
    }

    [Theory]
    [InlineData(ParquetKind.Int64, "99999999999999999999")]
    [InlineData(ParquetKind.Int32, "2147483648")]
    [InlineData(ParquetKind.Double, "1e400")]
    public async Task A_value_its_Parquet_type_cannot_hold_is_refused_by_name_and_row(ParquetKind kind, string value)
    {
        using var lake = await NewLakeAsync();
        await using var writer = Writer(lake, [new("n", kind)]);
        await FeedAsync(writer, [["1"]]);
        var refused = Assert.Throws<UnrepresentableValueException>(() => writer.AppendValue(Encoding.UTF8.GetBytes(value)));
        Assert.Equal(("n", 2L, value), (refused.Column, refused.Row, refused.Value));
        await writer.AbortAsync();
        Assert.Empty(await lake.AllKeysAsync("Trusted/"));
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
