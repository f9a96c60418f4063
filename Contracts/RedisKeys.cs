namespace RedditSentiment.Contracts;

/// <summary>
/// Every Redis key of the platform, in one place: the ones operators use in the runbook
/// (<c>redis-cli llen reddit:posts:queue</c>, …), which the Collector owns and the Gateway reports and moves, the
/// workers' bookkeeping, the ingestion checkpoints, the Gateway's cache versions and web sessions. The runbook's
/// keys are part of the platform's public surface: change them only with the runbook and the alerts.
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
    /// A regular expression matching the queues workers take from (posts, comments, reprocess) and nothing else:
    /// the alerts select them by the <c>queue</c> label.
    /// </summary>
    public const string WorkQueuesPattern = "reddit:(posts|comments|reprocess):queue";

    /// <summary>Set of worker ids that may own a processing list.</summary>
    public const string Workers = "reddit:workers";

    /// <summary>The batch a worker has taken and not yet stored: re-delivered if the worker dies.</summary>
    public static string Processing(string workerId) => $"reddit:processing:{workerId}";

    /// <summary>Exists (with a TTL) while the worker is alive.</summary>
    public static string Heartbeat(string workerId) => $"reddit:workers:{workerId}:alive";

    /// <summary>Held by the one replica returning a dead worker's batch.</summary>
    public static string ReaperLock(string workerId) => $"reddit:workers:{workerId}:reaping";

    /// <summary>The newest fullname taken from a subreddit's listing (<c>kind</c>: <c>posts</c> or <c>comments</c>).</summary>
    public static string ListingCheckpoint(string subreddit, string kind) => $"reddit:checkpoint:{subreddit.ToLowerInvariant()}:{kind}";

    /// <summary>
    /// Sorted set of the threads to read whole (members <c>{subreddit}/{post id}</c>, scores the Unix second each is
    /// due): the poller adds each post it collects, the Collector's thread crawler removes it once read.
    /// </summary>
    public const string ThreadsDue = "reddit:threads:due";

    /// <summary>The byte offset a dump file has been read to.</summary>
    public static string DumpCheckpoint(string fullPath) => $"reddit:checkpoint:dump:{fullPath}";

    /// <summary>
    /// The checkpoint of a dump file at which its unreadable rest (a corrupt or truncated stream) was parked,
    /// so a re-run reports it again without parking it twice.
    /// </summary>
    public static string DumpStreamError(string fullPath) => $"reddit:checkpoint:dump-error:{fullPath}";

    /// <summary>
    /// Bumped whenever new scores land (globally, and per subreddit), so the Gateway's cached aggregates,
    /// whose keys include these versions, are invalidated without scanning for keys.
    /// </summary>
    public const string CacheVersion = "reddit:cache:version";

    public static string SubredditCacheVersion(string subreddit) => $"reddit:cache:version:{subreddit.ToLowerInvariant()}";

    /// <summary>A web session of the Gateway.</summary>
    public static string Session(string id) => $"session:{id}";
}
