using Scorer.Models.Fast;

namespace Scorer.UnitTests.Fast;

internal static class ScoreAssert
{
    /// <summary>Compound to 4 decimals; proportions, rounded to 3 decimals by both sides, to the last digit.</summary>
    public static void Equal(VaderScores expected, VaderScores actual)
    {
        Assert.Equal(expected.Compound, actual.Compound, 0.0001);
        Assert.Equal(expected.Negative, actual.Negative, 0.0005);
        Assert.Equal(expected.Neutral, actual.Neutral, 0.0005);
        Assert.Equal(expected.Positive, actual.Positive, 0.0005);
    }

    /// <summary>Compound score only, to 4 decimals.</summary>
    public static void Compound(double expected, VaderScores actual) =>
        Assert.Equal(expected, actual.Compound, 0.0001);
}
