using Scorer.Models.Accurate;

namespace Scorer.Training;

/// <summary>
/// Sentence embeddings from the accurate model's encoder graph (pooled and normalised exactly as the served
/// graph does) as training features. Texts are embedded in length order, which keeps padding low, and the
/// rows are put back in the caller's order.
/// </summary>
public sealed class EncoderFeaturizer(OnnxSentenceEncoder encoder, int batchSize = 64) : ITextFeaturizer
{
    public EncoderInfo Encoder { get; } = new(
        encoder.Encoder.Name, encoder.Pooling == PoolingMode.Mean ? "mean" : "cls", Normalize: true, encoder.Dimension);

    public Task<FeatureMatrix> FeaturizeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var dimension = encoder.Dimension;
        var values = new float[texts.Count * dimension];
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        var batch = new string[batchSize];
        var embeddings = new float[batchSize * dimension];
        for (var start = 0; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, order.Length - start);
            for (var i = 0; i < count; i++)
            {
                batch[i] = texts[order[start + i]];
            }

            encoder.Embed(batch.AsSpan(0, count), embeddings.AsSpan(0, count * dimension));
            for (var i = 0; i < count; i++)
            {
                embeddings.AsSpan(i * dimension, dimension).CopyTo(values.AsSpan(order[start + i] * dimension, dimension));
            }
        }

        return Task.FromResult(new FeatureMatrix(texts.Count, dimension, values));
    }
}
