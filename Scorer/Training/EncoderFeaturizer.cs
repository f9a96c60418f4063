using Scorer.Models.Accurate;

namespace Scorer.Training;

/// <summary>
/// Sentence embeddings from the accurate model's encoder graph (pooled and normalised exactly as the served
/// graph does) as training features, followed by the <see cref="LexiconFeatures"/> when given (computed as the
/// served model computes them). Texts are embedded in length order, which keeps padding low, and the rows are
/// put back in the caller's order.
/// </summary>
public sealed class EncoderFeaturizer(OnnxSentenceEncoder encoder, int batchSize = 64, LexiconFeatures? lexicon = null) : ITextFeaturizer
{
    public EncoderInfo Encoder { get; } = new(
        encoder.Encoder.Name, encoder.Pooling, Normalize: true, encoder.Dimension,
        lexicon is null ? null : LexiconFeatures.Vader, encoder.HiddenLayers);

    public Task<FeatureMatrix> FeaturizeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var dimension = encoder.Dimension;
        var width = Encoder.InputDimension;
        var values = new float[texts.Count * width];
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
                embeddings.AsSpan(i * dimension, dimension).CopyTo(values.AsSpan(order[start + i] * width, dimension));
            }

            if (lexicon is not null)
            {
                var features = new float[count * LexiconFeatures.Count];
                lexicon.Compute(batch.AsSpan(0, count), features);
                for (var i = 0; i < count; i++)
                {
                    features.AsSpan(i * LexiconFeatures.Count, LexiconFeatures.Count)
                        .CopyTo(values.AsSpan(order[start + i] * width + dimension, LexiconFeatures.Count));
                }
            }
        }

        return Task.FromResult(new FeatureMatrix(texts.Count, width, values));
    }
}
