using Scorer.Models.Fast;

namespace Scorer.UnitTests.Fast;

public sealed class LabelTests
{
    [Theory]
    [InlineData(0.05, "positive")]
    [InlineData(0.9342, "positive")]
    [InlineData(1.0, "positive")]
    [InlineData(0.0499, "neutral")]
    [InlineData(0.0, "neutral")]
    [InlineData(-0.0499, "neutral")]
    [InlineData(-0.05, "negative")]
    [InlineData(-1.0, "negative")]
    public void Label_uses_the_0_05_thresholds_inclusively(double compound, string expected)
    {
        Assert.Equal(expected, VaderAnalyzer.Label(compound));
    }

    [Fact]
    public void Scores_expose_the_label_of_their_compound()
    {
        var analyzer = new VaderAnalyzer();

        Assert.Equal("positive", analyzer.PolarityScores("The book was good.").Label);
        Assert.Equal("negative", analyzer.PolarityScores("The book was not good.").Label);
        Assert.Equal("neutral", analyzer.PolarityScores("The book was on the table.").Label);
    }
}
