using Scorer.Models;

namespace ModelTools.Evaluation;

/// <summary>Runs a served model over a whole file.</summary>
public static class ModelScoring
{
    /// <summary>Batches of similar length, as the service's scheduler forms them; blank texts get the blank prediction.</summary>
    public static void ScoreInLengthOrder(ISentimentModel model, IReadOnlyList<string> texts, SentimentPrediction[] predictions, int batchSize, CancellationToken ct)
    {
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => model.Cost(texts[i])).ToArray();
        var batch = new string[batchSize];
        var scored = new SentimentPrediction[batchSize];
        for (var start = 0; start < order.Length; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, order.Length - start);
            for (var i = 0; i < count; i++)
            {
                batch[i] = texts[order[start + i]];
            }

            model.Score(batch.AsSpan(0, count), scored.AsSpan(0, count));
            for (var i = 0; i < count; i++)
            {
                predictions[order[start + i]] = string.IsNullOrWhiteSpace(batch[i]) ? SentimentPrediction.Blank : scored[i];
            }
        }
    }
}
