using IngestLambda.Core.Lake;

namespace IngestLambda.Tests;

public class LakeLayoutTests
{
    private static readonly DateTimeOffset EventTime = new(2026, 11, 26, 23, 30, 0, TimeSpan.FromHours(-3));

    [Fact]
    public void Keys_follow_the_documented_layout_with_the_UTC_date()
    {
        var layout = LakeLayout.Default;
        Assert.Equal("Raw/Local/CSV/Movies/2026/11/27/movies.csv", layout.RawKey("Movies", EventTime, "landing/movies.csv"));
        Assert.Equal("quarantine/2026/11/27/movies.csv", layout.QuarantineKey(EventTime, "landing/movies.csv"));
        Assert.Equal("quarantine/2026/11/27/movies.csv.report.json", layout.QuarantineReportKey(EventTime, "landing/movies.csv"));
        Assert.Equal("manifests/Movies/2026/11/27/movies.csv.json", layout.ManifestKey("Movies", EventTime, "landing/movies.csv"));
    }

    [Theory]
    [InlineData("landing/movies.csv", "Trusted/Local/Parquet/Movies/2026/11/27/movies.parquet")]
    [InlineData("landing/vendor-a/daily.csv.gz", "Trusted/Local/Parquet/Movies/2026/11/27/vendor-a/daily.parquet")]
    [InlineData("landing/DAILY.CSV.GZ", "Trusted/Local/Parquet/Movies/2026/11/27/DAILY.parquet")]
    [InlineData("landing/notes.txt", "Trusted/Local/Parquet/Movies/2026/11/27/notes.txt.parquet")]
    [InlineData("landing/.csv", "Trusted/Local/Parquet/Movies/2026/11/27/.csv.parquet")]
    public void The_trusted_key_drops_the_csv_suffix_and_ends_in_parquet(string sourceKey, string expected) =>
        Assert.Equal(expected, LakeLayout.Default.TrustedKey("Movies", EventTime, sourceKey));

    [Fact]
    public void Keys_keep_the_path_below_the_landing_prefix_so_two_landing_keys_never_share_a_destination()
    {
        var layout = LakeLayout.Default;
        Assert.Equal("Raw/Local/CSV/Movies/2026/11/27/vendor-a/daily.csv", layout.RawKey("Movies", EventTime, "landing/vendor-a/daily.csv"));
        Assert.Equal("Raw/Local/CSV/Movies/2026/11/27/vendor-b/daily.csv", layout.RawKey("Movies", EventTime, "landing/vendor-b/daily.csv"));
        Assert.Equal("quarantine/2026/11/27/a/b/x.csv", layout.QuarantineKey(EventTime, "landing/a/b/x.csv"));
        Assert.Equal("quarantine/2026/11/27/a/b/x.csv.report.json", layout.QuarantineReportKey(EventTime, "landing/a/b/x.csv"));
        Assert.Equal("manifests/Series/2026/11/27/vendor-a/daily.csv.json", layout.ManifestKey("Series", EventTime, "landing/vendor-a/daily.csv"));
    }

    [Fact]
    public void A_custom_landing_prefix_is_stripped_whole()
    {
        var layout = new LakeLayout(new LakePrefixes { Landing = "drop/zone/" });
        Assert.Equal("Raw/Local/CSV/Movies/2026/11/27/team/movies.csv", layout.RawKey("Movies", EventTime, "drop/zone/team/movies.csv"));
    }

    [Fact]
    public void A_key_outside_the_landing_prefix_has_no_destination() =>
        Assert.Throws<ArgumentException>(() => LakeLayout.Default.RawKey("Movies", EventTime, "other/movies.csv"));

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
