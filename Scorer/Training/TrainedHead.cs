using System.Globalization;
using Scorer.Models.Accurate;

namespace Scorer.Training;

/// <summary>The trainer's side of the head file: a trained <see cref="HeadModel"/> as the <see cref="HeadDefinition"/> that <see cref="HeadFile"/> writes.</summary>
public static class TrainedHead
{
    /// <summary>
    /// The head with the encoder it was trained on, its temperature and provenance: weights transposed to the
    /// file's <c>[input][output]</c>, labels in <see cref="SentimentLabels"/> order (the order of the logits).
    /// </summary>
    public static HeadDefinition ToDefinition(HeadModel head, EncoderInfo encoder, double temperature, TrainingProvenance? training) => new()
    {
        Encoder = encoder.Name,
        Pooling = encoder.Pooling,
        HiddenLayers = encoder.HiddenLayers,
        Normalize = encoder.Normalize,
        EmbeddingDim = encoder.Dimension,
        LexiconFeatures = encoder.LexiconFeatures,
        Labels = [.. SentimentLabels.Names],
        Layers = [.. head.Layers.Select(ToHeadLayer)],
        // The file keeps 6 significant digits of the double: rounding before narrowing to float keeps the digits written.
        Temperature = float.Parse(temperature.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        Training = training?.ToJson(),
    };

    private static HeadLayer ToHeadLayer(DenseLayer layer) => new()
    {
        Weights = [.. Enumerable.Range(0, layer.Inputs).Select(input => Enumerable.Range(0, layer.Outputs).Select(output => layer.Weight(input, output)).ToArray())],
        Bias = [.. layer.Bias],
        Activation = layer.Activation == LayerActivation.Relu ? HeadActivation.Relu : HeadActivation.None,
    };
}
