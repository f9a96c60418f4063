namespace Scorer.Models;

/// <summary>
/// A sentiment model the Scorer serves. Implementations are thread-safe: the batch scheduler may run
/// several batches of the same model at once (<see cref="ParallelBatches"/>, or <c>BatchingOptions.Workers</c>).
/// </summary>
public interface ISentimentModel
{
    /// <summary>The name callers ask for: <c>accurate</c> or <c>fast</c>.</summary>
    string Name { get; }

    string Version { get; }

    /// <summary>Where inference actually runs: <c>cpu</c>, <c>cuda</c>, or <c>managed</c> for plain .NET code.</summary>
    string Device { get; }

    /// <summary>Longest input in tokens; 0 when there is no limit.</summary>
    int MaxTokens { get; }

    /// <summary>
    /// The batching cost of a text (its token count, or an estimate): batches are capped by a token budget and
    /// texts of similar cost are scored together, which keeps padding low.
    /// </summary>
    int Cost(string text);

    /// <summary>
    /// Whether a batch is padded to its longest text (a transformer), so that its work is its size times its
    /// longest cost; otherwise (VADER) a batch's work is the sum of its texts' costs.
    /// </summary>
    bool PadsBatches { get; }

    /// <summary>How many batches are worth running at once (the accurate model's sessions; VADER's cores).</summary>
    int ParallelBatches { get; }

    /// <summary>Scores <paramref name="texts"/> into <paramref name="predictions"/> (same length, same order).</summary>
    void Score(ReadOnlySpan<string> texts, Span<SentimentPrediction> predictions);
}
