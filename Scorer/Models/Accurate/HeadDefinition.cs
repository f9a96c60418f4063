namespace Scorer.Models.Accurate;

/// <summary>
/// A trained sentiment head over the pooled sentence embedding, as the weights file
/// (<see cref="SentimentWeightsFile"/>) holds it and <see cref="SentimentGraphComposer"/> appends it to the
/// encoder. Weights are [in][out]. The first layer reads the sentence embedding, followed by the
/// <see cref="LexiconFeatures"/> when there are any. One layer is a multinomial logistic regression, more make an
/// MLP; the last layer has one output per label and no activation. Probabilities are softmax(logits / temperature).
/// </summary>
public sealed class HeadDefinition
{
    /// <summary>The <see cref="EncoderSource.Name"/> the head was trained on.</summary>
    public string Encoder { get; set; } = "";

    public PoolingMode Pooling { get; set; } = PoolingMode.Mean;

    /// <summary>
    /// How many of the encoder's last hidden states are averaged, token by token, before pooling: 1 (the default)
    /// pools the last layer's output only, 2 the last two layers' outputs, and so on.
    /// </summary>
    public int HiddenLayers { get; set; } = 1;

    /// <summary>Whether the pooled embedding is L2-normalised before the head.</summary>
    public bool Normalize { get; set; } = true;

    public int EmbeddingDim { get; set; }

    /// <summary>Extra inputs after the embedding: null (none) or <see cref="Accurate.LexiconFeatures.Vader"/>.</summary>
    public string? LexiconFeatures { get; set; }

    /// <summary>Width of the head's input: the embedding and the lexicon features.</summary>
    public int InputDim => EmbeddingDim + Accurate.LexiconFeatures.CountOf(LexiconFeatures);

    /// <summary>Class names in output order: negative, neutral and positive, in any order.</summary>
    public string[] Labels { get; set; } = [];

    public HeadLayer[] Layers { get; set; } = [];

    public float Temperature { get; set; } = 1f;

    /// <summary>Index of a label among the head's outputs.</summary>
    public int IndexOf(string label) => Array.FindIndex(Labels, l => string.Equals(l, label, StringComparison.OrdinalIgnoreCase));

    /// <summary>Checks the shapes and values; returns this head so calls chain.</summary>
    public HeadDefinition Validated()
    {
        Require(!string.IsNullOrWhiteSpace(Encoder), "encoder is missing");
        Require(EmbeddingDim > 0, "embedding_dim must be positive");
        Require(HiddenLayers is >= 1 and <= 64, "hidden_layers must be between 1 and 64");
        Require(Labels is { Length: 3 } && ModelNames.Labels.All(l => IndexOf(l) >= 0),
            $"labels must be {string.Join(", ", ModelNames.Labels)} (in any order)");
        Require(float.IsFinite(Temperature) && Temperature > 0, "temperature must be a positive number");
        Require(Layers is { Length: > 0 }, "layers is empty");
        Require(Accurate.LexiconFeatures.IsKnown(LexiconFeatures), $"lexicon_features must be {Accurate.LexiconFeatures.Vader} or absent");

        var width = InputDim;
        for (var l = 0; l < Layers.Length; l++)
        {
            var layer = Layers[l];
            Require(layer.Weights is { Length: > 0 } && layer.Bias is { Length: > 0 }, $"layer {l} has no weights or bias");
            Require(layer.Weights.Length == width, $"layer {l} has {layer.Weights.Length} weight rows, expected {width} inputs");
            var outputs = layer.Bias.Length;
            Require(layer.Weights.All(row => row?.Length == outputs), $"layer {l}: every weight row must have {outputs} values (one per bias)");
            Require(layer.Weights.All(row => row.All(float.IsFinite)) && layer.Bias.All(float.IsFinite), $"layer {l} has non-finite values");
            width = outputs;
        }

        Require(width == Labels.Length, $"the last layer has {width} outputs, expected {Labels.Length}");
        Require(Layers[^1].Activation == HeadActivation.None, "the last layer's activation must be none");
        return this;
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"Invalid head: {problem}.");
        }
    }
}

/// <summary>One dense layer: y = activation(x · W + b) with W as [in][out].</summary>
public sealed class HeadLayer
{
    public float[][] Weights { get; set; } = [];

    public float[] Bias { get; set; } = [];

    public HeadActivation Activation { get; set; } = HeadActivation.None;

    public int Inputs => Weights.Length;

    public int Outputs => Bias.Length;
}

public enum HeadActivation
{
    None,
    Relu,
}
