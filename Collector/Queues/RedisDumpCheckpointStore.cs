using Collector.Ingestion.Dumps;
using StackExchange.Redis;

namespace Collector.Queues;

/// <summary>
/// Dump-file offsets in Redis (<c>reddit:checkpoint:dump:{full path}</c>), so a backfill resumes after a restart,
/// and where a file's unreadable rest was parked (<c>reddit:checkpoint:dump-error:{full path}</c>).
/// </summary>
public sealed class RedisDumpCheckpointStore(IConnectionMultiplexer redis) : IDumpCheckpointStore
{
    private static string Key(string file) => RedisKeys.DumpCheckpoint(Path.GetFullPath(file));

    private static string ParkedErrorKey(string file) => RedisKeys.DumpStreamError(Path.GetFullPath(file));

    public async Task<long> GetAsync(string file, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(file)).WaitAsync(cancellationToken);
        return value.IsNull ? 0 : (long)value;
    }

    public Task SetAsync(string file, long offset, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(Key(file), offset).WaitAsync(cancellationToken);

    public async Task<long?> GetParkedErrorAsync(string file, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(ParkedErrorKey(file)).WaitAsync(cancellationToken);
        return value.IsNull ? null : (long)value;
    }

    public Task SetParkedErrorAsync(string file, long checkpoint, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(ParkedErrorKey(file), checkpoint).WaitAsync(cancellationToken);
}
