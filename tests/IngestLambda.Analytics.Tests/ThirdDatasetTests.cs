using System.Text;
using IngestLambda.Analytics.Tests.Infrastructure;

namespace IngestLambda.Analytics.Tests;

/// <summary>
/// A dataset added as one contract file (issue #23: quoted, comma-separated, a date and a boolean column) is read by
/// `answers` with its own dialect beside Movies and Series: its rows are counted, quoted fields keep their delimiters
/// and doubled quotes, and the questions still answer from the IMDB datasets.
/// </summary>
public sealed class ThirdDatasetTests : IDisposable
{
    private const string RatingsContract = """
        {
          "name": "Ratings",
          "dialect": { "delimiter": ",", "quoteChar": "\"", "header": true },
          "schema": {
            "missingValues": [""],
            "fields": [
              { "name": "userId", "type": "integer" },
              { "name": "title", "type": "string" },
              { "name": "rating", "type": "number" },
              { "name": "ratedOn", "type": "date" },
              { "name": "liked", "type": "boolean" }
            ]
          }
        }
        """;

    private readonly TestLake _lake = new();
    private readonly string _contracts = Directory.CreateTempSubdirectory("answers-contracts-").FullName;

    public void Dispose()
    {
        _lake.Dispose();
        Directory.Delete(_contracts, recursive: true);
    }

    [Fact]
    public async Task A_contract_file_makes_answers_read_a_quoted_comma_separated_dataset()
    {
        foreach (var shipped in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "contracts"), "*.json"))
            File.Copy(shipped, Path.Combine(_contracts, Path.GetFileName(shipped)));
        File.WriteAllText(Path.Combine(_contracts, "ratings.json"), RatingsContract);
        _lake.Write("Raw/Local/CSV/Ratings/2026/11/26/ratings.csv", Encoding.UTF8.GetBytes(
            "userId,title,rating,ratedOn,liked\r\n"
            + "1,\"Hamlet, Prince of Denmark\",4.5,2026-11-26,true\r\n"
            + "2,\"\"\"Crocodile\"\" Dundee\",3,2026-11-25,false\r\n"
            + "3,\"A title\non two lines\",,,\r\n"));

        var run = await AnswersRun.RunAsync(new Dictionary<string, string> { ["CONTRACTS_DIR"] = _contracts }, "--lake", _lake.Root, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var ratings = run.Answers.Snapshots.Single(s => s.Dataset == "Ratings");
        Assert.Equal((3L, 3L, 1), (ratings.Rows, ratings.Titles, ratings.Files));
        Assert.NotEmpty(run.Answers.AverageRatingByGenreAndYear); // the questions still read Movies and Series
    }

    [Fact]
    public async Task A_file_in_its_folder_without_its_header_is_named_with_the_first_column_that_differs()
    {
        foreach (var shipped in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "contracts"), "*.json"))
            File.Copy(shipped, Path.Combine(_contracts, Path.GetFileName(shipped)));
        File.WriteAllText(Path.Combine(_contracts, "ratings.json"), RatingsContract);
        _lake.Write("Raw/Local/CSV/Ratings/2026/11/26/ratings.csv", Encoding.UTF8.GetBytes("\"userId\",\"title\",\"score\",ratedOn,liked\n1,\"x\",4.5,2026-11-26,true\n"));

        var run = await AnswersRun.RunAsync(new Dictionary<string, string> { ["CONTRACTS_DIR"] = _contracts }, "--lake", _lake.Root, "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.True(run.StdErr.Contains("Ratings/2026/11/26/ratings.csv: line 1: not a Ratings header: column 3 is 'score', expected 'rating'", StringComparison.Ordinal), run.ToString());
    }
}
