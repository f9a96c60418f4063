namespace Scorer.Models;

public enum Sentiment
{
    Negative,
    Neutral,
    Positive,
}

/// <summary>One model's verdict on one text.</summary>
/// <param name="Negative">Probability of the negative class.</param>
/// <param name="Neutral">Probability of the neutral class.</param>
/// <param name="Positive">Probability of the positive class.</param>
/// <param name="Score">Polarity in [-1, 1].</param>
/// <param name="Confidence">How sure the model is of <paramref name="Label"/>, in [0, 1].</param>
/// <param name="Truncated">The text was cut to the model's maximum input.</param>
public readonly record struct SentimentPrediction(
    Sentiment Label, float Negative, float Neutral, float Positive, float Score, float Confidence, bool Truncated)
{
    /// <summary>The verdict on a blank text: neutral by definition, never asked of a model.</summary>
    public static SentimentPrediction Blank { get; } = new(Sentiment.Neutral, 0f, 1f, 0f, 0f, 1f, Truncated: false);
}
