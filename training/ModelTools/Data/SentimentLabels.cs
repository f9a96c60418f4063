using Scorer.Models;

namespace ModelTools.Data;

/// <summary>
/// The accurate model's classes as the trainer sees them: class index k is <c>(Sentiment)k</c> and its name is
/// <c>ModelNames.Labels[k]</c> (negative, neutral, positive), the order of the head's three outputs.
/// </summary>
public static class SentimentLabels
{
    public const int Count = 3;

    public static IReadOnlyList<string> Names => ModelNames.Labels;

    public static string Name(Sentiment label) => ModelNames.Labels[(int)label];

    /// <summary>Parses <c>negative</c>, <c>neutral</c> or <c>positive</c> (any case, surrounding spaces ignored).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Sentiment label)
    {
        ReadOnlySpan<char> trimmed = text.Trim();
        for (int k = 0; k < Count; k++)
        {
            if (trimmed.Equals(ModelNames.Labels[k], StringComparison.OrdinalIgnoreCase))
            {
                label = (Sentiment)k;
                return true;
            }
        }

        label = default;
        return false;
    }

    /// <summary>Class indices for the trainer and the metrics.</summary>
    public static int[] ToIndices(IEnumerable<Sentiment> labels) => labels.Select(label => (int)label).ToArray();
}
