using Collector.Model;

namespace Collector.Queues;

/// <summary>
/// The Collector's Redis keys: the runbook's shared ones (<see cref="RedisKeys"/>) under the names the queue
/// code uses, plus the workers' own bookkeeping.
/// </summary>
public static class QueueKeys
{
    public const string Posts = RedisKeys.PostsQueue;
    public const string Comments = RedisKeys.CommentsQueue;
    public const string Failed = RedisKeys.FailedQueue;
    public const string Reprocess = RedisKeys.ReprocessQueue;
    public const string FailedItems = RedisKeys.FailedItems;
    public const string ProcessedCount = RedisKeys.ProcessedCount;
    public const string FailedCount = RedisKeys.FailedCount;

    /// <summary>Set of worker ids that may own a processing list.</summary>
    public const string Workers = "reddit:workers";

    /// <summary>The batch a worker has taken and not yet stored: re-delivered if the worker dies.</summary>
    public static string Processing(string workerId) => $"reddit:processing:{workerId}";

    /// <summary>Exists (with a TTL) while the worker is alive.</summary>
    public static string Heartbeat(string workerId) => $"reddit:workers:{workerId}:alive";

    public static string ReaperLock(string workerId) => $"reddit:workers:{workerId}:reaping";

    public const string CacheVersion = RedisKeys.CacheVersion;

    public static string SubredditCacheVersion(string subreddit) => RedisKeys.SubredditCacheVersion(subreddit);

    public static string QueueFor(RedditItemKind kind) => kind == RedditItemKind.Post ? Posts : Comments;
}
