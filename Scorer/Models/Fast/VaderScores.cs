namespace Scorer.Models.Fast;

/// <summary>
/// Result of <see cref="VaderAnalyzer.PolarityScores(string)"/>, rounded like vaderSentiment:
/// proportions to 3 decimals, <see cref="Compound"/> to 4.
/// </summary>
/// <param name="Negative">Proportion of the text that is negative ("neg").</param>
/// <param name="Neutral">Proportion of the text that is neutral ("neu").</param>
/// <param name="Positive">Proportion of the text that is positive ("pos").</param>
/// <param name="Compound">Normalised, weighted composite score in [-1, 1] ("compound").</param>
public readonly record struct VaderScores(double Negative, double Neutral, double Positive, double Compound)
{
    /// <summary>All zeros: the score of an empty or whitespace-only text.</summary>
    public static VaderScores Empty => default;

    /// <summary>"positive", "negative" or "neutral" for <see cref="Compound"/>.</summary>
    public string Label => VaderAnalyzer.Label(Compound);
}
