namespace Scorer.Models.Fast;

/// <summary>
/// The <c>fast</c> model: VADER (Hutto &amp; Gilbert 2014). The compound score is the score, labelled by
/// VADER's usual ±0.05 thresholds; the three probabilities are VADER's negative / neutral / positive
/// proportions of the text's sentiment intensity.
/// </summary>
public sealed class VaderSentimentModel(VaderAnalyzer analyzer) : ISentimentModel
{
    public const double Threshold = 0.05;

    public string Name => ModelNames.Fast;

    public string Version => "vader-3.3.2";

    public string Device => "managed";

    public int MaxTokens => 0;

    /// <summary>Rule-based and linear in the text: characters are a fair cost for batching.</summary>
    public int Cost(string text) => Math.Max(1, text.Length / 4);

    public bool PadsBatches => false;

    public int ParallelBatches => Environment.ProcessorCount;

    public void Score(ReadOnlySpan<string> texts, Span<SentimentPrediction> predictions)
    {
        for (var i = 0; i < texts.Length; i++)
        {
            predictions[i] = ToPrediction(analyzer.PolarityScores(texts[i]));
        }
    }

    internal static SentimentPrediction ToPrediction(VaderScores scores)
    {
        var compound = scores.Compound;
        var (label, confidence) = compound switch
        {
            >= Threshold => (Sentiment.Positive, compound),
            <= -Threshold => (Sentiment.Negative, -compound),
            // Neutral is surest at 0 and least sure at the thresholds.
            _ => (Sentiment.Neutral, 1 - Math.Abs(compound) / Threshold),
        };

        var total = scores.Negative + scores.Neutral + scores.Positive;
        return total > 0
            ? new SentimentPrediction(label, (float)(scores.Negative / total), (float)(scores.Neutral / total),
                (float)(scores.Positive / total), (float)compound, (float)confidence, Truncated: false)
            : new SentimentPrediction(label, 0f, 1f, 0f, (float)compound, (float)confidence, Truncated: false);
    }
}
