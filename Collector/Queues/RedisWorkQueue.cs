using Collector.Model;
using StackExchange.Redis;

namespace Collector.Queues;

/// <summary>
/// The reliable queue on Redis lists. Producers <c>LPUSH</c>; a worker atomically moves up to a batch from
/// the right end into its own processing list (<c>LMOVE</c> in a script), and deletes that list only after
/// the batch is stored. A worker that dies leaves its list behind; <see cref="ReapAsync"/> puts those items
/// back at the front of their queues. Delivery is at-least-once; storage upserts make it exactly-once in
/// effect.
/// </summary>
public sealed class RedisWorkQueue(IConnectionMultiplexer redis, TimeProvider time)
{
    // KEYS[1] = the worker's processing list, KEYS[2..] = source queues in the order to drain them.
    // A list that still holds entries is a batch this worker never finished (a take whose reply was lost in a
    // stall, an ack that failed): it is handed back, flagged, instead of being mixed with new entries.
    private const string TakeLua = """
        local held = redis.call('LRANGE', KEYS[1], 0, -1)
        if #held > 0 then
          table.insert(held, 1, 'held')
          return held
        end
        local taken = {'new'}
        local max = tonumber(ARGV[1])
        for i = 2, #KEYS do
          while #taken <= max do
            local value = redis.call('LMOVE', KEYS[i], KEYS[1], 'RIGHT', 'LEFT')
            if not value then break end
            taken[#taken + 1] = value
          end
        end
        return taken
        """;

    // KEYS[1] = processing list, KEYS[2] = processed counter, KEYS[3..] = cache versions to bump.
    private const string AckLua = """
        redis.call('DEL', KEYS[1])
        if tonumber(ARGV[1]) > 0 then
          redis.call('INCRBY', KEYS[2], ARGV[1])
          for i = 3, #KEYS do redis.call('INCR', KEYS[i]) end
        end
        return 1
        """;

    // KEYS[1] = failed-items set, KEYS[2] = failed queue, KEYS[3] = failed counter; ARGV[1] = key, ARGV[2] = entry.
    private const string ParkOnceLua = """
        if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
        redis.call('LPUSH', KEYS[2], ARGV[2])
        redis.call('INCR', KEYS[3])
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task EnqueueAsync(IReadOnlyCollection<QueueEnvelope> entries)
    {
        foreach (var group in entries.Where(e => e.Item is not null).GroupBy(e => e.Item!.Kind.QueueKey()))
        {
            await Db.ListLeftPushAsync(group.Key, group.Select(e => (RedisValue)e.Serialize()).ToArray());
        }
    }

    /// <summary>
    /// Parks an entry in <c>reddit:failed:queue</c> with its reason, and counts it; an entry of a worker's batch
    /// (<paramref name="held"/>) leaves the worker's processing list in the same step, so a batch taken again
    /// after a failed ack does not park it twice.
    /// </summary>
    public async Task FailAsync(QueueEnvelope entry, string stage, string reason, HeldEntry? held = null)
    {
        var failed = Failed(entry, stage, reason);
        var transaction = Db.CreateTransaction();
        if (held is { } owned)
        {
            _ = transaction.ListRemoveAsync(RedisKeys.Processing(owned.WorkerId), owned.Value, 1);
        }

        _ = transaction.ListLeftPushAsync(RedisKeys.FailedQueue, failed.Serialize());
        _ = transaction.SetAddAsync(RedisKeys.FailedItems, failed.FailedItemKey);
        _ = transaction.StringIncrementAsync(RedisKeys.FailedCount);
        await transaction.ExecuteAsync();
    }

    /// <summary>
    /// Parks an entry of ingestion unless <c>reddit:failed:items</c> already holds its key: a source re-read after a
    /// crash (a dump chunk queued before its checkpoint moved, a listing page fetched again) parks each bad record
    /// once. Returns whether it was parked now.
    /// </summary>
    public async Task<bool> ParkOnceAsync(QueueEnvelope entry, string stage, string reason)
    {
        var failed = Failed(entry, stage, reason);
        var parked = await Db.ScriptEvaluateAsync(ParkOnceLua,
            [RedisKeys.FailedItems, RedisKeys.FailedQueue, RedisKeys.FailedCount], [failed.FailedItemKey, failed.Serialize()]);
        return (int)parked == 1;
    }

    private QueueEnvelope Failed(QueueEnvelope entry, string stage, string reason) =>
        entry with { Stage = stage, Reason = reason, FailedAt = time.GetUtcNow() };

    /// <summary>
    /// Moves up to <paramref name="max"/> entries from <paramref name="sources"/> (in order) into the worker's list;
    /// or, when that list still holds a batch the worker did not finish, returns that batch again
    /// (<see cref="TakenBatch.Held"/>). Either way the worker's list holds exactly the returned entries.
    /// </summary>
    public async Task<TakenBatch> TakeAsync(string workerId, int max, IReadOnlyList<string> sources)
    {
        RedisKey[] keys = [RedisKeys.Processing(workerId), .. sources.Select(s => (RedisKey)s)];
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(TakeLua, keys, [max]))!;
        return new TakenBatch(result.Skip(1).Select(r => (string)r!).ToArray(), (string?)result[0] == "held");
    }

    /// <summary>Entries to try again later go to the back of their queue, so they cannot hog a worker.</summary>
    public Task RetryLaterAsync(QueueEnvelope entry) =>
        Db.ListLeftPushAsync(entry.Item!.Kind.QueueKey(), entry.Serialize());

    /// <summary>
    /// The batch is stored: drop the worker's processing list, count what was processed and invalidate the
    /// cached aggregates of the subreddits it touched, in one step.
    /// </summary>
    public Task AckAsync(string workerId, int processed, IEnumerable<string> subreddits)
    {
        RedisKey[] keys =
        [
            RedisKeys.Processing(workerId), RedisKeys.ProcessedCount, RedisKeys.CacheVersion,
            .. subreddits.Select(RedisKeys.SubredditCacheVersion).Distinct().Select(k => (RedisKey)k),
        ];
        return Db.ScriptEvaluateAsync(AckLua, keys, [processed]);
    }

    public async Task HeartbeatAsync(string workerId, TimeSpan ttl)
    {
        await Db.StringSetAsync(RedisKeys.Heartbeat(workerId), time.GetUtcNow().ToString("O"), ttl);
        await Db.SetAddAsync(RedisKeys.Workers, workerId);
    }

    /// <summary>
    /// Returns the items of workers whose heartbeat expired to the front of their queues (one more
    /// attempt counted; past <paramref name="maxAttempts"/> they are failed instead), then forgets the worker.
    /// </summary>
    public async Task<int> ReapAsync(int maxAttempts, TimeSpan lockTime)
    {
        var returned = 0;
        foreach (var member in await Db.SetMembersAsync(RedisKeys.Workers))
        {
            var workerId = member.ToString();
            if (await Db.KeyExistsAsync(RedisKeys.Heartbeat(workerId)) ||
                !await Db.StringSetAsync(RedisKeys.ReaperLock(workerId), "1", lockTime, When.NotExists))
            {
                continue;
            }

            var processing = RedisKeys.Processing(workerId);
            // Push before pop: a reaper that dies half way duplicates (harmless), never loses.
            while (await Db.ListGetByIndexAsync(processing, -1) is { IsNull: false } value)
            {
                var entry = QueueEnvelope.TryParse(value!);
                if (entry?.Item is null)
                {
                    await FailAsync(entry ?? new QueueEnvelope { Raw = value, Source = "unknown", EnqueuedAt = time.GetUtcNow() }, "malformed", "malformed_entry: not a queue envelope");
                }
                else if (entry.Attempts + 1 >= maxAttempts)
                {
                    await FailAsync(entry with { Attempts = entry.Attempts + 1 }, "worker", $"worker_died: {maxAttempts} attempts, last by {workerId}");
                }
                else
                {
                    await Db.ListRightPushAsync(entry.Item.Kind.QueueKey(), (entry with { Attempts = entry.Attempts + 1 }).Serialize());
                    returned++;
                }

                await Db.ListRightPopAsync(processing);
            }

            await Db.SetRemoveAsync(RedisKeys.Workers, workerId);
            await Db.KeyDeleteAsync(RedisKeys.ReaperLock(workerId));
        }

        return returned;
    }

    public async Task<IReadOnlyDictionary<string, long>> LengthsAsync()
    {
        string[] queues = [RedisKeys.PostsQueue, RedisKeys.CommentsQueue, RedisKeys.FailedQueue, RedisKeys.ReprocessQueue];
        var lengths = await Task.WhenAll(queues.Select(q => Db.ListLengthAsync(q)));
        return queues.Zip(lengths).ToDictionary(p => p.First, p => p.Second);
    }
}

/// <summary>A worker's batch: the entries' queue values, and whether it is one the worker held unfinished.</summary>
public sealed record TakenBatch(IReadOnlyList<string> Values, bool Held);

/// <summary>An entry of a worker's batch: the worker, and the value in its processing list.</summary>
public readonly record struct HeldEntry(string WorkerId, string Value);
