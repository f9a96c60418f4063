namespace Gateway.Model;

/// <summary>Aggregate sentiment of a set of scored items.</summary>
public sealed record SentimentSummary(long Count, double? AverageScore, long Positive, long Neutral, long Negative, double? AverageConfidence);

public sealed record SubredditSentiment(string Subreddit, long Posts, long Comments, SentimentSummary Sentiment);

public sealed record TimeSeriesPoint(DateTimeOffset Bucket, SentimentSummary Sentiment);

public sealed record SubredditTimeSeries(string Subreddit, DateTimeOffset From, DateTimeOffset To, string Interval, IReadOnlyList<TimeSeriesPoint> Points);

public sealed record PostSummary(
    string Id, string Subreddit, string Author, string Title, DateTimeOffset CreatedAt,
    double SentimentScore, string SentimentLabel, double ConfidenceScore, string ModelName, string ModelVersion);

public sealed record CommentView(
    string Id, string? ParentId, string Author, string Body, DateTimeOffset CreatedAt,
    double SentimentScore, string SentimentLabel, double ConfidenceScore);

public sealed record PostDetail(PostSummary Post, string Body, SentimentSummary CommentSentiment, IReadOnlyList<CommentView> Comments);

/// <summary>One page of results; <see cref="NextOffset"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Offset, int Limit, int? NextOffset);

/// <summary>A search's matches: totals per kind, the newest posts, and the matches per <see cref="Interval"/> (its <see cref="Trend"/>).</summary>
public sealed record SearchResult(
    string Query, SentimentSummary Posts, SentimentSummary Comments, IReadOnlyList<PostSummary> TopPosts, string Interval, IReadOnlyList<TimeSeriesPoint> Trend);

public sealed record QueueStatus(IReadOnlyDictionary<string, long> Queues, long ProcessedCount, long FailedCount, long FailedItems);

public sealed record ReprocessResult(int Moved, long FailedLeft);

/// <summary>A phrase whose mentions are rolled up as items are stored; <see cref="Subreddit"/> null: every subreddit.</summary>
public sealed record TrackedKeyword(int Id, string Phrase, string? Subreddit, DateTimeOffset CreatedAt);

public sealed record TrackKeywordRequest(string? Phrase, string? Subreddit);

public sealed record KeywordTrend(TrackedKeyword Keyword, DateTimeOffset From, DateTimeOffset To, string Interval, IReadOnlyList<TimeSeriesPoint> Points);

/// <summary>A shift the detector raised: <see cref="Kind"/> is sentiment_drop, sentiment_rise or volume_spike.</summary>
public sealed record KeywordAlert(
    long Id, TrackedKeyword Keyword, string Kind, DateTimeOffset WindowStart, double ZScore, long WindowItems,
    double WindowValue, double BaselineValue, DateTimeOffset RaisedAt);
