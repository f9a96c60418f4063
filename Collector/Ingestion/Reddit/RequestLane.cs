namespace Collector.Ingestion.Reddit;

/// <summary>
/// Who a Reddit request is for: a kind of work (<see cref="Listing"/>, <see cref="Thread"/>, <see cref="Refresh"/>)
/// and, where it has one, the subreddit. The <see cref="RedditRateLimiter"/> hands out its slots round-robin over
/// the lanes that are waiting, so one subreddit's backlog or one kind of work never starves the others.
/// </summary>
public readonly record struct RequestLane(string Work, string? Subreddit = null)
{
    public const string Listing = "listing";
    public const string Thread = "thread";
    public const string Refresh = "refresh";

    /// <summary>Requests that name no lane (the command line's one-off fetches) share this one.</summary>
    public static RequestLane Default { get; } = new("default");

    public static RequestLane ListingOf(string subreddit) => new(Listing, subreddit.ToLowerInvariant());

    public static RequestLane ThreadOf(string subreddit) => new(Thread, subreddit.ToLowerInvariant());

    public override string ToString() => Subreddit is null ? Work : $"{Work}:r/{Subreddit}";
}
