namespace Collector.Infrastructure;

/// <summary>The Scorer's verdict on one text.</summary>
public sealed record ScoreResult(
    string Label, float Score, float Confidence, float Negative, float Neutral, float Positive, bool Truncated,
    string Model, string ModelVersion);

/// <summary>Scores batches of texts (the Scorer service over gRPC).</summary>
public interface ISentimentScorer
{
    /// <exception cref="ScorerUnavailableException">Overloaded or unreachable: retry the same batch later.</exception>
    /// <exception cref="ScorerRejectedException">The Scorer refused the input itself: retrying it cannot help.</exception>
    Task<IReadOnlyList<ScoreResult>> ScoreAsync(string model, IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

public sealed class ScorerUnavailableException(string message, Exception inner) : Exception(message, inner);

public sealed class ScorerRejectedException(string message, Exception inner) : Exception(message, inner);
