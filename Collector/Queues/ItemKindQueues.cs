using Collector.Model;

namespace Collector.Queues;

/// <summary>Which work queue (<see cref="RedisKeys"/>) an item of each kind waits in.</summary>
public static class ItemKindQueues
{
    public static string QueueKey(this RedditItemKind kind) => kind == RedditItemKind.Post ? RedisKeys.PostsQueue : RedisKeys.CommentsQueue;
}
