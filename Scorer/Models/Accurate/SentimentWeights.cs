using System.Text.Json;

namespace Scorer.Models.Accurate;

/// <summary>
/// The accurate model's trained weights, as its weights file (<see cref="SentimentWeightsFile"/>) holds them: the
/// fine-tuned encoder tensors that replace the pretrained ones of the encoder graph, the head over the pooled
/// embedding, and the training's provenance.
/// </summary>
public sealed class SentimentWeights
{
    /// <summary>Pooling, head layers, temperature and labels.</summary>
    public required HeadDefinition Head { get; init; }

    /// <summary>Encoder tensors by their initializer name in the encoder graph, in the graph's layout.</summary>
    public IReadOnlyDictionary<string, WeightTensor> Encoder { get; init; } = new Dictionary<string, WeightTensor>();

    /// <summary>SHA-256 of the encoder graph the weights were trained from; null when the file does not say.</summary>
    public string? BaseEncoderSha256 { get; init; }

    /// <summary>What the trainer recorded (data hashes, seed, command, dev figures); kept as is.</summary>
    public JsonElement? Training { get; init; }

    /// <summary>Texts with the probabilities the trainer computed for them, which the served graph must reproduce.</summary>
    public IReadOnlyList<ReferenceScore> Reference { get; init; } = [];

    /// <summary>First 8 hex digits of the file's SHA-256: names these exact weights in model versions.</summary>
    public string Hash8 { get; init; } = "00000000";
}

/// <summary>One tensor, as fp32 values row-major in <paramref name="Shape"/>.</summary>
public sealed record WeightTensor(long[] Shape, float[] Values)
{
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>A text and the negative, neutral and positive probabilities the trainer gave it.</summary>
public sealed record ReferenceScore(string Text, float[] Probabilities);
