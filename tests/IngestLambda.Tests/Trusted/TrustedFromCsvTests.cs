using System.IO.Compression;
using System.Text;
using Amazon.S3.Model;
using IngestLambda.Core.Validation;
using IngestLambda.Lake.Trusted;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Trusted;

/// <summary>
/// The validator's single read feeding the trusted writer (docs/contracts.md "Trusted zone"): DuckDB reads the Parquet equal
/// to the CSV it came from, for the samples as landed, gzip, with a BOM and with CRLF; a rejected file leaves nothing.
/// </summary>
public sealed class TrustedFromCsvTests(MotoServer moto) : LakeTests(moto)
{
    private const string TrustedKey = "Trusted/Local/Parquet/test.parquet";

    private static async Task<(ValidationResult Result, TrustedObject? Written)> ValidateIntoTrustedAsync(TestLake lake, byte[] file, ContentEncoding encoding)
    {
        await using var sink = new TrustedRowSink(dataset =>
            new TrustedWriter(TrustedSchema.For(dataset), new TrustedUpload(lake.S3, lake.Bucket, TrustedKey, TimeSpan.FromSeconds(5)),
                new TrustedWriteOptions { RowGroupRows = 100 })); // several row groups even for the samples
        var result = await CsvValidator.ValidateAsync(new MemoryStream(file), encoding, ValidationOptions.Default, expected: null, sink);
        if (!result.Accepted || sink.Refused is not null)
            return (result, null);
        return (result, await sink.Writer!.CommitAsync(CancellationToken.None));
    }

    public static TheoryData<string, string> Variants => new()
    {
        { "movies.csv", "plain" }, { "series.csv", "plain" }, { "movies.csv", "gzip" }, { "series.csv", "bom-crlf" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task DuckDB_reads_the_Parquet_equal_to_the_CSV(string sample, string variant)
    {
        using var lake = await NewLakeAsync();
        var csv = await File.ReadAllBytesAsync(RepoPaths.Samples(sample));
        var landed = variant switch
        {
            "gzip" => Gzip(csv),
            "bom-crlf" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(csv).Replace("\n", "\r\n", StringComparison.Ordinal))],
            _ => csv,
        };
        var (result, written) = await ValidateIntoTrustedAsync(lake, landed, variant == "gzip" ? ContentEncoding.Gzip : ContentEncoding.None);

        Assert.True(result.Accepted);
        Assert.NotNull(written);
        Assert.Equal(result.Rows, written.Rows);
        using var file = await ParquetFile.DownloadAsync(lake, TrustedKey);
        // Groups are written between the blocks the validator is fed (up to 1 MiB of CSV each, however far the pipe's
        // reader ran ahead), so their count here is not fixed; TrustedWriterTests pins the budgets.
        Assert.Equal(written.RowGroups, Convert.ToInt32(file.Scalar("SELECT count(DISTINCT row_group_id) FROM {meta}")));
        file.AssertEqualsCsv(csv);
        Assert.Equal(result.Rows, file.Scalar("SELECT count(*) FROM {t}"));
        // Typed as the contract says: years INT32, counts INT64, the rating DOUBLE, text and lists VARCHAR.
        var types = file.Rows("SELECT typeof(anoLancamento), typeof(numeroVotos), typeof(notaMedia), typeof(genero) FROM {t} LIMIT 1").Single();
        Assert.Equal(["INTEGER", "BIGINT", "DOUBLE", "VARCHAR"], types.Select(t => (string)t!));
    }

    [Fact]
    public async Task A_rejected_file_leaves_no_Parquet_and_no_open_upload_once_the_sink_is_disposed()
    {
        using var lake = await NewLakeAsync();
        var csv = Encoding.UTF8.GetString(TestFiles.Movies);
        // Enough valid rows before the bad one for parts to go up first.
        var body = string.Concat(Enumerable.Repeat(csv[(csv.IndexOf('\n') + 1)..], 200));
        var bad = Encoding.UTF8.GetBytes(csv[..(csv.IndexOf('\n') + 1)] + body + "tt1|x|x|year|1|Drama|5.0|1|actor|x|x|\\N|\\N|actor|tt0000001\n");
        var (result, written) = await ValidateIntoTrustedAsync(lake, bad, ContentEncoding.None);

        Assert.False(result.Accepted);
        Assert.Null(written);
        Assert.Empty(await lake.AllKeysAsync("Trusted/"));
        var uploads = await lake.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = lake.Bucket });
        Assert.Empty(uploads.MultipartUploads ?? []);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(data);
        return output.ToArray();
    }
}
