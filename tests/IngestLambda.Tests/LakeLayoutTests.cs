using IngestLambda.Core.Lake;

namespace IngestLambda.Tests;

public class LakeLayoutTests
{
    private static readonly DateTimeOffset EventTime = new(2026, 11, 26, 23, 30, 0, TimeSpan.FromHours(-3));

    [Fact]
    public void Keys_follow_DESIGN_md_with_the_UTC_date()
    {
        var layout = LakeLayout.Default;
        Assert.Equal("Raw/Local/CSV/Movies/2026/11/27/movies.csv", layout.RawKey("Movies", EventTime, "landing/team/movies.csv"));
        Assert.Equal("quarantine/2026/11/27/movies.csv", layout.QuarantineKey(EventTime, "landing/movies.csv"));
        Assert.Equal("quarantine/2026/11/27/movies.csv.report.json", layout.QuarantineReportKey(EventTime, "landing/movies.csv"));
        Assert.Equal("manifests/Movies/2026/11/27/movies.csv.json", layout.ManifestKey("Movies", EventTime, "landing/movies.csv"));
    }

    [Theory]
    [InlineData("landing/movies.csv", true)]
    [InlineData("landing/a/b/movies.csv", true)]
    [InlineData("landing/", false)]
    [InlineData("landing/folder/", false)]
    [InlineData("other/movies.csv", false)]
    [InlineData("Landing/movies.csv", false)]
    public void Only_files_under_the_landing_prefix_are_ingested(string key, bool expected) =>
        Assert.Equal(expected, LakeLayout.Default.IsLandingFile(key));
}
