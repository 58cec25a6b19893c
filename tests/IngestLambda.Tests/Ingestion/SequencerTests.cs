using IngestLambda.Lake;

namespace IngestLambda.Tests.Ingestion;

/// <summary>S3's rule for event sequencers: pad the shorter with leading zeros, then compare as hex.</summary>
public sealed class SequencerTests
{
    [Theory]
    [InlineData("FF", "100", -1)]
    [InlineData("0100", "100", 0)]
    [InlineData("0055AED6DCD90281E5", "0055AED6DCD90281E6", -1)]
    [InlineData("0055aed6dcd90281e6", "0055AED6DCD90281E5", 1)]
    [InlineData("1", "000000000000000000", 1)]
    [InlineData("A", "9", 1)]
    public void Sequencers_compare_as_hex_numbers_padded_with_leading_zeros(string a, string b, int expected)
    {
        Assert.Equal(expected, Math.Sign(Sequencer.Compare(a, b)));
        Assert.Equal(-expected, Math.Sign(Sequencer.Compare(b, a)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12G4")]
    [InlineData("-1")]
    public void Values_that_are_not_hex_are_not_sequencers(string? value)
    {
        Assert.False(Sequencer.IsValid(value));
        if (value is not null)
            Assert.Throws<ArgumentException>(() => Sequencer.Compare(value, "01"));
    }
}
