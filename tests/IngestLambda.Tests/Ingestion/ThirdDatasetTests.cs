using System.Text;
using IngestLambda.Configuration;
using IngestLambda.Core.Reports;
using IngestLambda.Host.Cli;
using IngestLambda.Tests.Infrastructure;
using IngestLambda.Tests.Trusted;

namespace IngestLambda.Tests.Ingestion;

/// <summary>
/// A third dataset without code (issue #23): one contract file (quoted, comma-separated, with a date and a boolean
/// column, served below its own landing prefix) added to a contracts folder that CONTRACTS_DIR names. Its file is
/// accepted by <c>validate</c> and lands through the pipeline against moto_server into Raw with a manifest.
/// </summary>
public sealed class ThirdDatasetTests(MotoServer moto) : LakeTests(moto)
{
    private const string RatingsContract = """
        {
          "name": "Ratings",
          "title": "Ratings from a vendor, comma-separated with quoted titles",
          "x-ingest-landingPrefix": "ratings/",
          "dialect": { "delimiter": ",", "quoteChar": "\"", "header": true },
          "schema": {
            "missingValues": [""],
            "primaryKey": ["userId", "movieId"],
            "fields": [
              { "name": "userId", "type": "integer", "constraints": { "minimum": 1 } },
              { "name": "movieId", "type": "string", "constraints": { "pattern": "tt[0-9]{7,}" } },
              { "name": "title", "type": "string", "constraints": { "required": true, "maxLength": 200 } },
              { "name": "rating", "type": "number", "constraints": { "minimum": 0.5, "maximum": 5 } },
              { "name": "ratedOn", "type": "date" },
              { "name": "liked", "type": "boolean" }
            ]
          }
        }
        """;

    private static readonly byte[] Ratings = Encoding.UTF8.GetBytes(
        "userId,movieId,title,rating,ratedOn,liked\r\n" +
        "1,tt0000009,\"Hamlet, Prince of Denmark\",4.5,2026-11-26,true\r\n" +
        "2,tt0000009,\"\"\"Crocodile\"\" Dundee\",3,2026-11-25,false\r\n" +
        "3,tt1234567,\"A title\non two lines\",,,\r\n");

    private static IngestConfig WithContracts(IngestConfig config, string folder) =>
        config with { Validation = IngestConfig.FromVariables(name => name == "CONTRACTS_DIR" ? folder : null).Validation };

    [Fact]
    public async Task A_contract_file_alone_makes_a_quoted_comma_separated_dataset_land_in_raw_with_a_manifest()
    {
        using var contracts = new TempContracts();
        contracts.Add("ratings.json", RatingsContract);
        var local = contracts.Add("ratings.csv", Encoding.UTF8.GetString(Ratings));

        var validate = new StringWriter();
        Assert.Equal(0, await CommandLine.RunAsync(["validate", local, "--contracts", contracts.Path], validate, new StringWriter()));
        Assert.Contains("dataset      Ratings", validate.ToString(), StringComparison.Ordinal);

        using var lake = await NewLakeAsync();
        var key = "landing/ratings/vendor-a/2026-11-26.csv";
        var record = await lake.InvokeOneAsync(await lake.LandAsync(key, Ratings), WithContracts(lake.Config(), contracts.Path));

        var raw = $"{Raw}Ratings/{TestLake.DatePath}/ratings/vendor-a/2026-11-26.csv";
        Assert.Equal(Outcomes.Accepted, record.Outcome);
        Assert.Equal(("Ratings", raw, 3L), (record.Dataset, record.DestinationKey, record.Rows));
        Assert.Equal(TestLake.Sha256(Ratings), TestLake.Sha256(await lake.GetBytesAsync(raw)));
        using var manifest = await lake.GetJsonAsync($"manifests/Ratings/{TestLake.DatePath}/ratings/vendor-a/2026-11-26.csv.json");
        Assert.Equal("Ratings", manifest.RootElement.GetProperty("dataset").GetString());
        Assert.Equal(3, manifest.RootElement.GetProperty("validation").GetProperty("rows").GetInt64());
        Assert.Equal("CRLF", manifest.RootElement.GetProperty("validation").GetProperty("lineEnding").GetString());

        // And in Trusted, typed by the contract: read back by DuckDB, quoted values unescaped, the empty field null.
        var trustedKey = $"Trusted/Local/Parquet/Ratings/{TestLake.DatePath}/ratings/vendor-a/2026-11-26.parquet";
        Assert.Equal(trustedKey, manifest.RootElement.GetProperty("trusted").GetProperty("key").GetString());
        using var parquet = await ParquetFile.DownloadAsync(lake, trustedKey);
        Assert.Equal(
            [["userId", "BIGINT"], ["movieId", "VARCHAR"], ["title", "VARCHAR"], ["rating", "DOUBLE"], ["ratedOn", "DATE"], ["liked", "BOOLEAN"]],
            parquet.Rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {t})"));
        Assert.Equal(
            [["1", "Hamlet, Prince of Denmark", "4.5", "2026-11-26", "true"], ["2", "\"Crocodile\" Dundee", "3.0", "2026-11-25", "false"], ["3", "A title\non two lines", null, null, null]],
            parquet.Rows("SELECT userId::VARCHAR, title, rating::VARCHAR, ratedOn::VARCHAR, liked::VARCHAR FROM {t} ORDER BY userId"));
    }

    [Fact]
    public async Task Its_bad_files_are_quarantined_by_the_contracts_rules_and_outside_its_prefix_it_is_no_candidate()
    {
        using var contracts = new TempContracts();
        contracts.Add("ratings.json", RatingsContract);
        using var lake = await NewLakeAsync();
        var config = WithContracts(lake.Config(), contracts.Path);
        var bad = Encoding.UTF8.GetBytes("userId,movieId,title,rating,ratedOn,liked\n1,tt0000009,Ham\"let,4.5,2026-02-30,maybe\n");

        var rejected = await lake.InvokeOneAsync(await lake.LandAsync("landing/ratings/bad.csv", bad), config);
        Assert.Equal(Outcomes.Rejected, rejected.Outcome);
        using var report = await lake.GetJsonAsync(rejected.ReportKey!);
        var errors = report.RootElement.GetProperty("validation").GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("column").GetString(), e.GetProperty("code").GetString())).ToArray();
        Assert.Equal([("title", "bad-quote"), ("ratedOn", "invalid-value"), ("liked", "invalid-value")], errors);

        var elsewhere = await lake.InvokeOneAsync(await lake.LandAsync("landing/ratings.csv", Ratings), config);
        Assert.Equal(Outcomes.Rejected, elsewhere.Outcome);
        using var elsewhereReport = await lake.GetJsonAsync(elsewhere.ReportKey!);
        Assert.Equal("unknown-header", elsewhereReport.RootElement.GetProperty("validation").GetProperty("errors")[0].GetProperty("code").GetString());
    }
}
