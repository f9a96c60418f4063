using FastBertTokenizer;

namespace Scorer.Models.Accurate;

/// <summary>
/// WordPiece tokenization for the encoder (FastBertTokenizer over the encoder's vocab.txt): one text into its
/// token count, a batch into padded int64 tensors. Texts longer than <see cref="MaxTokens"/> are cut (the last
/// token stays [SEP]) and flagged. Thread-safe: only the span-writing encoders of the underlying tokenizer,
/// which keep no per-call state, are used.
/// </summary>
public sealed class SentimentTokenizer
{
    private const int StackTokens = 1024;

    private readonly BertTokenizer _tokenizer = new();
    private readonly long _padId;

    public SentimentTokenizer(EncoderSource encoder)
        : this(encoder.OpenVocabulary(), encoder.LowerCase, encoder.MaxTokens)
    {
    }

    /// <param name="vocabulary">vocab.txt: one token a line, the id is the line number; disposed here.</param>
    /// <param name="lowerCase">Lower-case inputs (uncased vocabularies).</param>
    /// <param name="maxTokens">Longest encoding, [CLS] and [SEP] included.</param>
    public SentimentTokenizer(TextReader vocabulary, bool lowerCase, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 3);
        using (vocabulary)
        {
            var text = vocabulary.ReadToEnd();
            _padId = IndexOfLine(text, "[PAD]");
            _tokenizer.LoadVocabulary(new StringReader(text), lowerCase);
        }

        MaxTokens = maxTokens;
    }

    public int MaxTokens { get; }

    /// <summary>Token count of <paramref name="text"/>, [CLS] and [SEP] included, at most <see cref="MaxTokens"/>.</summary>
    public int Cost(string text)
    {
        var capacity = MaxTokens + 1;
        Span<long> ids = capacity <= StackTokens ? stackalloc long[capacity] : new long[capacity];
        Span<long> mask = capacity <= StackTokens ? stackalloc long[capacity] : new long[capacity];
        return Math.Min(_tokenizer.Encode(text ?? string.Empty, ids, mask), MaxTokens);
    }

    /// <summary>Encodes <paramref name="texts"/> into <paramref name="batch"/> (or a new one), padded to the longest.</summary>
    public TokenBatch Encode(ReadOnlySpan<string> texts, TokenBatch? batch = null)
    {
        batch ??= new TokenBatch();

        // One slot more than the maximum tells a text that fits exactly from one that was cut.
        var rowCapacity = MaxTokens + 1;
        var scratch = batch.PrepareScratch(texts.Length, rowCapacity);
        Span<long> mask = rowCapacity <= StackTokens ? stackalloc long[rowCapacity] : new long[rowCapacity];
        for (var i = 0; i < texts.Length; i++)
        {
            var row = scratch.Slice(i * rowCapacity, rowCapacity);
            var length = _tokenizer.Encode(texts[i] ?? string.Empty, row, mask);
            var truncated = length > MaxTokens;
            if (truncated)
            {
                // The tokenizer already cut the text at rowCapacity; one piece less ends it at MaxTokens.
                row[MaxTokens - 1] = row[length - 1];
                length = MaxTokens;
            }

            batch.Lengths[i] = length;
            batch.Truncated[i] = truncated;
        }

        batch.Pack(rowCapacity, _padId);
        return batch;
    }

    private static long IndexOfLine(string vocabulary, string token)
    {
        var line = 0L;
        foreach (var entry in vocabulary.AsSpan().EnumerateLines())
        {
            if (entry.SequenceEqual(token))
            {
                return line;
            }

            line++;
        }

        throw new InvalidDataException($"The vocabulary has no {token} token.");
    }
}
