namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Redis keys operators use in the runbook (<c>redis-cli llen reddit:posts:queue</c>, ...), shared by the
/// Collector (which owns them) and the Gateway (which reports and moves them). They are part of the
/// platform's public surface: change them only with the runbook.
/// </summary>
public static class RedisKeys
{
    public const string PostsQueue = "reddit:posts:queue";
    public const string CommentsQueue = "reddit:comments:queue";
    public const string FailedQueue = "reddit:failed:queue";
    public const string ReprocessQueue = "reddit:reprocess:queue";

    /// <summary>Set of the fullnames (<c>t3_…</c>, <c>t1_…</c>) of items that failed, for quick membership checks.</summary>
    public const string FailedItems = "reddit:failed:items";

    public const string ProcessedCount = "reddit:stats:processed_count";
    public const string FailedCount = "reddit:stats:failed_count";

    public static readonly IReadOnlyList<string> Queues = [PostsQueue, CommentsQueue, FailedQueue, ReprocessQueue];

    /// <summary>
    /// Bumped whenever new scores land (globally, and per subreddit), so the Gateway's cached aggregates,
    /// whose keys include these versions, are invalidated without scanning for keys.
    /// </summary>
    public const string CacheVersion = "reddit:cache:version";

    public static string SubredditCacheVersion(string subreddit) => $"reddit:cache:version:{subreddit.ToLowerInvariant()}";

    /// <summary>A web session of the Gateway.</summary>
    public static string Session(string id) => $"session:{id}";
}
