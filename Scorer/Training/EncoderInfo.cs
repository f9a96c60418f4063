using Scorer.Models.Accurate;

namespace Scorer.Training;

/// <summary>The sentence encoder a head was trained on; the loader checks it matches the encoder it runs.</summary>
/// <param name="LexiconFeatures">Extra inputs after the embedding (<see cref="Models.Accurate.LexiconFeatures.Vader"/>) or null for none.</param>
/// <param name="HiddenLayers">How many of the encoder's last hidden states are averaged before pooling.</param>
public sealed record EncoderInfo(string Name, PoolingMode Pooling, bool Normalize, int Dimension, string? LexiconFeatures = null, int HiddenLayers = 1)
{
    /// <summary>Width of the head's input: the embedding and the lexicon features.</summary>
    public int InputDimension => Dimension + Models.Accurate.LexiconFeatures.CountOf(LexiconFeatures);
}
