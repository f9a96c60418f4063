using Collector.Model;
using StackExchange.Redis;

namespace Collector.Ingestion.Threads;

/// <summary>A thread due to be read whole.</summary>
public readonly record struct DueThread(string Subreddit, string PostId)
{
    public string Member => $"{Subreddit}/{PostId}";

    public static bool TryParse(string member, out DueThread thread)
    {
        var slash = member.IndexOf('/');
        thread = slash > 0 && slash < member.Length - 1 ? new DueThread(member[..slash], member[(slash + 1)..]) : default;
        return slash > 0 && slash < member.Length - 1;
    }
}

/// <summary>
/// The threads waiting to be read, in Redis (<see cref="RedisKeys.ThreadsDue"/>), so they survive restarts and
/// replicas share them: a post is added once (a post fetched again keeps its first due time) and removed only
/// after its comments are in the queues: a crash in between reads the thread again, which queues nothing twice
/// that is already stored unchanged.
/// </summary>
public sealed class ThreadSchedule(IConnectionMultiplexer redis)
{
    public async Task AddAsync(IEnumerable<RedditItem> posts, TimeSpan readAfter)
    {
        var entries = posts.Where(post => post.Kind == RedditItemKind.Post)
            .Select(post => new SortedSetEntry(new DueThread(post.Subreddit, post.Id).Member, (post.CreatedAt + readAfter).ToUnixTimeSeconds()))
            .ToArray();
        if (entries.Length > 0)
        {
            await redis.GetDatabase().SortedSetAddAsync(RedisKeys.ThreadsDue, entries, SortedSetWhen.NotExists);
        }
    }

    /// <summary>Up to <paramref name="limit"/> threads due by <paramref name="now"/>, the longest due first.</summary>
    public async Task<IReadOnlyList<DueThread>> DueAsync(DateTimeOffset now, int limit)
    {
        var database = redis.GetDatabase();
        var members = await database.SortedSetRangeByScoreAsync(RedisKeys.ThreadsDue, double.NegativeInfinity, now.ToUnixTimeSeconds(), take: limit);
        var due = new List<DueThread>(members.Length);
        foreach (var member in members)
        {
            if (DueThread.TryParse(member.ToString(), out var thread))
            {
                due.Add(thread);
            }
            else
            {
                await database.SortedSetRemoveAsync(RedisKeys.ThreadsDue, member); // not ours: it would block the head forever
            }
        }

        return due;
    }

    public Task DoneAsync(DueThread thread) => redis.GetDatabase().SortedSetRemoveAsync(RedisKeys.ThreadsDue, thread.Member);

    public Task PostponeAsync(DueThread thread, DateTimeOffset until) =>
        redis.GetDatabase().SortedSetAddAsync(RedisKeys.ThreadsDue, thread.Member, until.ToUnixTimeSeconds(), SortedSetWhen.Exists);

    public Task<long> CountAsync() => redis.GetDatabase().SortedSetLengthAsync(RedisKeys.ThreadsDue);
}
