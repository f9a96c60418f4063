using Collector.Model;

namespace Collector.Queues;

/// <summary>
/// The Redis keys operators use in the runbook (<c>redis-cli llen reddit:posts:queue</c>, ...). They are
/// part of the platform's public surface: change them only with the runbook.
/// </summary>
public static class QueueKeys
{
    public const string Posts = "reddit:posts:queue";
    public const string Comments = "reddit:comments:queue";
    public const string Failed = "reddit:failed:queue";
    public const string Reprocess = "reddit:reprocess:queue";

    /// <summary>Set of the fullnames (<c>t3_…</c>, <c>t1_…</c>) of items that failed, for quick membership checks.</summary>
    public const string FailedItems = "reddit:failed:items";

    public const string ProcessedCount = "reddit:stats:processed_count";
    public const string FailedCount = "reddit:stats:failed_count";

    /// <summary>Set of worker ids that may own a processing list.</summary>
    public const string Workers = "reddit:workers";

    /// <summary>The batch a worker has taken and not yet stored: re-delivered if the worker dies.</summary>
    public static string Processing(string workerId) => $"reddit:processing:{workerId}";

    /// <summary>Exists (with a TTL) while the worker is alive.</summary>
    public static string Heartbeat(string workerId) => $"reddit:workers:{workerId}:alive";

    public static string ReaperLock(string workerId) => $"reddit:workers:{workerId}:reaping";

    /// <summary>
    /// Bumped whenever new scores land (globally, and per subreddit), so the Gateway's cached aggregates,
    /// whose keys include these versions, are invalidated without scanning for keys.
    /// </summary>
    public const string CacheVersion = "reddit:cache:version";

    public static string SubredditCacheVersion(string subreddit) => $"reddit:cache:version:{subreddit.ToLowerInvariant()}";

    public static string QueueFor(RedditItemKind kind) => kind == RedditItemKind.Post ? Posts : Comments;
}
