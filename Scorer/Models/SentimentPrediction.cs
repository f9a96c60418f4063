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
    Sentiment Label, float Negative, float Neutral, float Positive, float Score, float Confidence, bool Truncated);
