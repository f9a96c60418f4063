using Scorer.Models.Accurate;

namespace Scorer.UnitTests.Accurate.Support;

/// <summary>Heads with random weights from a fixed seed: stand-ins for trained heads.</summary>
internal static class TestHeads
{
    public static HeadDefinition Random(
        int seed, EncoderSource encoder, PoolingMode? pooling = null, int[]? hidden = null, float temperature = 1f,
        string[]? labels = null, bool normalize = true, int hiddenLayers = 1, string? lexicon = null)
    {
        var random = new Random(seed);
        var widths = new List<int> { encoder.EmbeddingDimension + LexiconFeatures.CountOf(lexicon) };
        widths.AddRange(hidden ?? []);
        widths.Add(3);

        var layers = new HeadLayer[widths.Count - 1];
        for (var l = 0; l < layers.Length; l++)
        {
            var (inputs, outputs) = (widths[l], widths[l + 1]);
            // Large enough weights that the classes are far from uniform on normalised embeddings.
            var scale = 4f / MathF.Sqrt(inputs) * (l == 0 ? 4f : 1f);
            layers[l] = new HeadLayer
            {
                Weights = [.. Enumerable.Range(0, inputs).Select(_ => Enumerable.Range(0, outputs).Select(_ => Gaussian(random) * scale).ToArray())],
                Bias = [.. Enumerable.Range(0, outputs).Select(_ => Gaussian(random) * 0.1f)],
                Activation = l == layers.Length - 1 ? HeadActivation.None : HeadActivation.Relu,
            };
        }

        return new HeadDefinition
        {
            Encoder = encoder.Name,
            Pooling = pooling ?? encoder.Pooling,
            Normalize = normalize,
            HiddenLayers = hiddenLayers,
            LexiconFeatures = lexicon,
            EmbeddingDim = encoder.EmbeddingDimension,
            Labels = labels ?? ["negative", "neutral", "positive"],
            Layers = layers,
            Temperature = temperature,
        };
    }

    /// <summary>Weights holding <paramref name="head"/> and, when given, encoder tensors that replace the pretrained ones.</summary>
    public static SentimentWeights Weights(HeadDefinition head, IReadOnlyDictionary<string, WeightTensor>? encoder = null) => new()
    {
        Head = head,
        Encoder = encoder ?? new Dictionary<string, WeightTensor>(),
        Hash8 = "0123abcd",
    };

    private static float Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
