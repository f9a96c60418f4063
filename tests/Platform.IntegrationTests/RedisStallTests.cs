using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Collector.Model;
using Collector.Queues;
using Npgsql;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>
/// Stalls the tests' own Redis server (SIGSTOP, then SIGCONT) for longer than the clients' timeout while the
/// workers drain a backlog. Commands sent during the stall time out on the client but still run on the server
/// once it resumes: a worker's take moves entries into its processing list without the worker knowing. Every
/// item must still end in PostgreSQL exactly once, and the counters must equal what was stored.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RedisStallTests(PlatformFixture platform) : IAsyncLifetime
{
    private const int Items = 30_000;
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(20); // the Redis clients' timeout is 5 s
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    private ConnectionMultiplexer _redis = null!;
    private NpgsqlDataSource _database = null!;

    private IDatabase Redis => _redis.GetDatabase();

    public async Task InitializeAsync()
    {
        var options = ConfigurationOptions.Parse((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!);
        options.SyncTimeout = options.AsyncTimeout = 60_000; // the test's own connection rides the stall out
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        _database = NpgsqlDataSource.Create((await platform.App.GetConnectionStringAsync(ResourceNames.Database))!);
    }

    [Fact]
    public async Task A_redis_stall_past_the_client_timeout_loses_and_duplicates_nothing()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var subreddit = $"stall{run}";
        var processedBefore = (long)await Redis.StringGetAsync(RedisKeys.ProcessedCount);
        var failedBefore = (long)await Redis.StringGetAsync(RedisKeys.FailedCount);
        foreach (var chunk in Enumerable.Range(0, Items).Chunk(1000))
        {
            await Redis.ListLeftPushAsync(RedisKeys.CommentsQueue, chunk.Select(i =>
                (RedisValue)TestItems.Envelope(RedditItemKind.Comment, $"s{run}{i}", $"comment {i} is a nice one", subreddit).Serialize()).ToArray());
        }

        // Stall while the workers are busy with the backlog.
        Assert.True(await Eventually.HoldsAsync(async _ => (long)await Redis.StringGetAsync(RedisKeys.ProcessedCount) - processedBefore >= 1000, Deadline));
        var pid = File.ReadLines(Path.Combine(platform.ServerDirectory(ResourceNames.Redis), "redis.pid")).First().Trim();
        var backlog = await Redis.ListLengthAsync(RedisKeys.CommentsQueue);
        Assert.True(backlog > 5000, $"the backlog ({backlog}) was drained before the stall could begin");
        await SignalAsync("STOP", pid);
        try
        {
            await Task.Delay(Stall); // fault injection, not a timing assertion
        }
        finally
        {
            await SignalAsync("CONT", pid);
        }

        Assert.True(await Eventually.HoldsAsync(async _ => await _database.CountCommentsAsync(subreddit) == Items, Deadline),
            $"not every item reached PostgreSQL after the stall: {await _database.CountCommentsAsync(subreddit)} of {Items}");
        Assert.True(await Eventually.HoldsAsync(async _ => await QueuedAndHeldAsync() == 0, Deadline), "entries were left queued or held");

        Assert.Equal(Items, await _database.CountCommentsAsync(subreddit)); // ids are the keys: a duplicate would be a lost update, not a row
        Assert.Equal(Items, (long)await Redis.StringGetAsync(RedisKeys.ProcessedCount) - processedBefore);
        Assert.Equal(0, (long)await Redis.StringGetAsync(RedisKeys.FailedCount) - failedBefore);
    }

    private static async Task SignalAsync(string signal, string pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }


    private async Task<long> QueuedAndHeldAsync()
    {
        var total = await Redis.ListLengthAsync(RedisKeys.PostsQueue) + await Redis.ListLengthAsync(RedisKeys.CommentsQueue);
        foreach (var worker in await Redis.SetMembersAsync(RedisKeys.Workers))
        {
            total += await Redis.ListLengthAsync(RedisKeys.Processing(worker!));
        }

        return total;
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _database.DisposeAsync();
    }
}
