using IngestLambda.Events;

namespace IngestLambda.Tests.Events;

public class FormUrlKeyTests
{
    [Theory]
    [InlineData("landing/movies.csv", "landing/movies.csv")]
    [InlineData("landing/my+movies.csv", "landing/my movies.csv")]
    [InlineData("landing/a%2Bb.csv", "landing/a+b.csv")]
    [InlineData("landing/100%25.csv", "landing/100%.csv")]
    [InlineData("landing/a%20b.csv", "landing/a b.csv")]
    [InlineData("landing/a%c3%a7%c3%a3o.csv", "landing/ação.csv")]
    [InlineData("landing/caf%C3%A9+cr%C3%A8me.csv", "landing/café crème.csv")]
    [InlineData("landing/%E6%98%A0%E7%94%BB.csv", "landing/映画.csv")]
    [InlineData("landing%2Fsub%2Fmovies.csv", "landing/sub/movies.csv")]
    [InlineData("landing/%F0%9F%8E%AC.csv", "landing/🎬.csv")]
    [InlineData("landing/ação.csv", "landing/ação.csv")]
    public void Golden_keys_decode_like_S3_form_encoding(string encoded, string expected)
    {
        Assert.True(FormUrlKey.TryDecode(encoded, out var decoded, out var error), error);
        Assert.Equal(expected, decoded);
    }

    [Theory]
    [InlineData("landing/%", "percent-encoding")]
    [InlineData("landing/%4", "percent-encoding")]
    [InlineData("landing/%G1.csv", "percent-encoding")]
    [InlineData("landing/%C3.csv", "UTF-8")]
    [InlineData("landing/%FF%FE.csv", "UTF-8")]
    [InlineData("landing/%ED%A0%80.csv", "UTF-8")]
    public void Malformed_encodings_are_errors_not_guesses(string encoded, string expected)
    {
        Assert.False(FormUrlKey.TryDecode(encoded, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("landing/../Raw/x.csv", "'..'")]
    [InlineData("landing/./x.csv", "'.'")]
    [InlineData("landing/..", "'..'")]
    [InlineData("landing/a\u0000b.csv", "U+0000")]
    [InlineData("landing/a\nb.csv", "U+000A")]
    [InlineData("landing/a\u007Fb.csv", "U+007F")]
    [InlineData("landing/a\u0085b.csv", "U+0085")]
    [InlineData("landing/..\\..\\Raw\\x.csv", "'..'")]
    [InlineData("landing/a\\..\\b.csv", "'..'")]
    [InlineData("landing/a/.\\b.csv", "'.'")]
    [InlineData("landing//movies.csv", "empty path segment")]
    [InlineData("landing/a//b/movies.csv", "empty path segment")]
    [InlineData("/landing/movies.csv", "empty path segment")]
    [InlineData("landing/\u202Egnp.csv", "U+202E")]
    [InlineData("landing/a\u2028b.csv", "U+2028")]
    [InlineData("landing/a\u2029b.csv", "U+2029")]
    [InlineData("landing/a\u2066b\u2069.csv", "U+2066")]
    [InlineData("landing/a\u200Fb.csv", "U+200F")]
    [InlineData("landing/a\u061Cb.csv", "U+061C")]
    [InlineData("landing/\uFEFFmovies.csv", "U+FEFF")]
    [InlineData("landing/a\u200Bb.csv", "U+200B")]
    public void Hostile_keys_are_named(string key, string expected) =>
        Assert.Contains(expected, FormUrlKey.FindHostileContent(key), StringComparison.Ordinal);

    [Theory]
    [InlineData("landing/movies.csv")]
    [InlineData("landing/..movies.csv")]
    [InlineData("landing/a b+c%.csv")]
    [InlineData("landing/映画.csv")]
    [InlineData("landing/a\\b.csv")]
    [InlineData("landing/..a\\b..\\c.csv")]
    [InlineData("landing/folder/")]
    [InlineData("landing/família 👨\u200D👩\u200D👧.csv")]
    [InlineData("landing/عربي.csv")]
    public void Ordinary_keys_are_not_hostile(string key) => Assert.Null(FormUrlKey.FindHostileContent(key));

    [Theory]
    [InlineData("landing/movies.csv", "landing/movies.csv")]
    [InlineData("landing/my movies+1.csv", "landing/my%20movies%2B1.csv")]
    [InlineData("landing/映画.csv", "landing/%E6%98%A0%E7%94%BB.csv")]
    public void Metadata_values_are_ascii_and_reversible(string key, string expected)
    {
        var value = FormUrlKey.ToMetadataValue(key);
        Assert.Equal(expected, value);
        Assert.Equal(key, Uri.UnescapeDataString(value));
    }
}
