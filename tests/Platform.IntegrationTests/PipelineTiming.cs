using System.Diagnostics;
using Aspire.Hosting.Testing;
using Collector.Model;
using Npgsql;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>How long the running pipeline takes to store a batch: the outage tests' measure of being back at speed.</summary>
public static class PipelineTiming
{
    /// <summary>
    /// Queues <paramref name="items"/> comments of a subreddit of their own and waits until all are stored (exactly
    /// once, asserted); returns the time from queuing to the last one stored, polled every 20 ms.
    /// </summary>
    public static async Task<TimeSpan> TimeToStoreAsync(PlatformFixture platform, int items, string label, TimeSpan deadline)
    {
        var subreddit = $"rec{Guid.NewGuid():N}"[..12];
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))! + ",abortConnect=false");
        await using var database = NpgsqlDataSource.Create((await platform.App.GetConnectionStringAsync(ResourceNames.Database))!);
        var clock = Stopwatch.StartNew();
        await redis.GetDatabase().ListLeftPushAsync(RedisKeys.CommentsQueue, Enumerable.Range(0, items).Select(i =>
            (RedisValue)TestItems.Envelope(RedditItemKind.Comment, $"{subreddit}{i}", $"comment {i} while {label}", subreddit).Serialize()).ToArray());
        while (await CountOrNoneAsync(database, subreddit) < items)
        {
            Assert.True(clock.Elapsed < deadline, $"the items queued when {label} were not all stored");
            await Task.Delay(20);
        }

        var elapsed = clock.Elapsed;
        Assert.Equal(items, await database.CountCommentsAsync(subreddit));
        return elapsed;
    }

    private static async Task<long> CountOrNoneAsync(NpgsqlDataSource database, string subreddit)
    {
        try
        {
            return await database.CountCommentsAsync(subreddit);
        }
        catch (NpgsqlException)
        {
            return -1; // the test's own connection may find the server still restarting
        }
    }
}
