using Collector.Ingestion.Reddit;
using StackExchange.Redis;

namespace Collector.Queues;

/// <summary>
/// Ingestion checkpoints in Redis (<c>reddit:checkpoint:…</c>), so a restarted Collector resumes where the
/// last one stopped: the newest fullname seen per subreddit and kind.
/// </summary>
public sealed class RedisCheckpointStore(IConnectionMultiplexer redis) : ICheckpointStore
{
    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(key).WaitAsync(cancellationToken);
        return value.IsNull ? null : value.ToString();
    }

    public Task SetAsync(string key, string value, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(key, value).WaitAsync(cancellationToken);
}
