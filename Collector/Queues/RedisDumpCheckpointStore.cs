using Collector.Ingestion.Dumps;
using StackExchange.Redis;

namespace Collector.Queues;

/// <summary>Dump-file offsets in Redis (<c>reddit:checkpoint:dump:{full path}</c>), so a backfill resumes after a restart.</summary>
public sealed class RedisDumpCheckpointStore(IConnectionMultiplexer redis) : IDumpCheckpointStore
{
    private static string Key(string file) => RedisKeys.DumpCheckpoint(Path.GetFullPath(file));

    public async Task<long> GetAsync(string file, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(file)).WaitAsync(cancellationToken);
        return value.IsNull ? 0 : (long)value;
    }

    public Task SetAsync(string file, long offset, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(Key(file), offset).WaitAsync(cancellationToken);
}
