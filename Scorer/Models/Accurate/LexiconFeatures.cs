using Scorer.Models.Fast;

namespace Scorer.Models.Accurate;

/// <summary>
/// Extra head inputs computed in C# next to the encoder and fed to the one composed graph as
/// <see cref="InputName"/> [batch, <see cref="Count"/>]: VADER's negative, neutral and positive proportions and its
/// compound score. A head that reads them names <see cref="Vader"/> in its <c>lexicon_features</c> and its first
/// layer takes the sentence embedding followed by these four values.
/// </summary>
public sealed class LexiconFeatures(VaderAnalyzer analyzer)
{
    /// <summary>The only kind there is: VADER 3.3.2's four scores.</summary>
    public const string Vader = "vader";

    /// <summary>The composed graph's extra input.</summary>
    public const string InputName = "lexicon_features";

    public const int Count = 4;

    /// <summary>Values per text for the named kind: 0 for none (null or empty), 4 for <see cref="Vader"/>.</summary>
    public static int CountOf(string? kind) => string.IsNullOrEmpty(kind) ? 0 : IsKnown(kind) ? Count : throw new ArgumentException($"Unknown lexicon features '{kind}' (known: {Vader}).", nameof(kind));

    public static bool IsKnown(string? kind) => string.IsNullOrEmpty(kind) || string.Equals(kind, Vader, StringComparison.Ordinal);

    public static LexiconFeatures CreateVader() => new(new VaderAnalyzer(VaderLexicon.Embedded));

    /// <summary>Writes [texts, 4] row-major: negative, neutral, positive, compound.</summary>
    public void Compute(ReadOnlySpan<string> texts, Span<float> features)
    {
        if (features.Length < texts.Length * Count)
        {
            throw new ArgumentException($"Lexicon features need {texts.Length * Count} floats.", nameof(features));
        }

        for (var i = 0; i < texts.Length; i++)
        {
            var scores = analyzer.PolarityScores(texts[i]);
            var row = features.Slice(i * Count, Count);
            row[0] = (float)scores.Negative;
            row[1] = (float)scores.Neutral;
            row[2] = (float)scores.Positive;
            row[3] = (float)scores.Compound;
        }
    }
}
