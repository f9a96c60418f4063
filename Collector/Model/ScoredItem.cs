namespace Collector.Model;

/// <summary>A <see cref="RedditItem"/> with the Scorer's verdict, as it is stored.</summary>
/// <param name="Label"><c>negative</c>, <c>neutral</c> or <c>positive</c>.</param>
public sealed record ScoredItem(
    RedditItem Item,
    string Label,
    float Score,
    float Confidence,
    float Negative,
    float Neutral,
    float Positive,
    bool Truncated,
    string Model,
    string ModelVersion,
    DateTimeOffset ScoredAt);
