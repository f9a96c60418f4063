using Scorer.Models.Fast;

namespace Scorer.UnitTests.Fast;

public sealed class EdgeCaseTests
{
    private static readonly VaderAnalyzer Analyzer = new();

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("   \t\r\n  ")]
    [InlineData("\u00A0\u2003\u3000")]
    public void Empty_or_whitespace_text_scores_all_zeros_and_is_neutral(string text)
    {
        VaderScores scores = Analyzer.PolarityScores(text);

        Assert.Equal(VaderScores.Empty, scores);
        Assert.Equal(0.0, scores.Compound);
        Assert.Equal("neutral", VaderAnalyzer.Label(scores.Compound));
        Assert.Equal("neutral", scores.Label);
    }

    [Fact]
    public void Text_without_sentiment_words_is_fully_neutral()
    {
        Assert.Equal(new VaderScores(0.0, 1.0, 0.0, 0.0), Analyzer.PolarityScores("!!!"));
        Assert.Equal(new VaderScores(0.0, 1.0, 0.0, 0.0), Analyzer.PolarityScores("The cat sat on the mat."));
    }

    [Fact]
    public void Null_text_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => Analyzer.PolarityScores(null!));
    }

    [Fact]
    public void Very_long_text_is_scored_and_stays_within_bounds()
    {
        string text = string.Concat(Enumerable.Repeat("This is GREAT but also terrible :( !!! 😁 ", 5_000));

        VaderScores scores = Analyzer.PolarityScores(text);

        Assert.InRange(scores.Compound, -1.0, 1.0);
        Assert.InRange(scores.Negative + scores.Neutral + scores.Positive, 0.997, 1.003);
    }

    [Fact]
    public void Proportions_sum_to_one()
    {
        VaderScores scores = Analyzer.PolarityScores("The plot was good, but the characters are uncompelling and the dialog is not great.");

        Assert.InRange(scores.Negative + scores.Neutral + scores.Positive, 0.999, 1.001);
    }
}
