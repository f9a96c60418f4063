using Aspire.Hosting.Testing;
using Collector.Model;
using Collector.Queues;
using Collector.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>
/// The item tables' month partitions: the Collector creates the coming months' at start, a batch from a month
/// without one gets it made on the way, and retention drops whole months while their rollups stay (and the rollup
/// check still agrees).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PartitionTests(PlatformFixture platform) : IAsyncLifetime
{
    private NpgsqlDataSource _database = null!;

    public async Task InitializeAsync() =>
        _database = NpgsqlDataSource.Create((await platform.App.GetConnectionStringAsync(ResourceNames.Database))!);

    [Fact]
    public async Task Partitions_exist_ahead_and_for_an_old_month_a_batch_brings_and_retention_drops_months_but_keeps_their_rollups()
    {
        var ahead = DateTime.UtcNow.AddMonths(3);
        Assert.True(await Eventually.HoldsAsync(async _ => await PartitionExistsAsync($"reddit_posts_{ahead:yyyy_MM}"), TimeSpan.FromMinutes(1)),
            "the Collector did not create the partitions three months ahead");

        // June 2005, Reddit's first month: no partition until an item of it is stored.
        var subreddit = $"part{Guid.NewGuid():N}"[..12];
        Assert.False(await PartitionExistsAsync("reddit_comments_2005_06"));
        var envelope = TestItems.Envelope(RedditItemKind.Comment, $"{subreddit}c1", "what a wonderful first month", subreddit,
            new DateTimeOffset(2005, 6, 20, 12, 0, 0, TimeSpan.Zero));
        await using (var redis = await ConnectionMultiplexer.ConnectAsync((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!))
        {
            await redis.GetDatabase().ListLeftPushAsync(RedisKeys.CommentsQueue, envelope.Serialize());
        }

        Assert.True(await Eventually.HoldsAsync(async _ => await _database.CountCommentsAsync(subreddit) == 1, TimeSpan.FromMinutes(2)));
        Assert.True(await PartitionExistsAsync("reddit_comments_2005_06"));

        // Retention of everything before July 2005: the month goes whole, its rollups stay, the check still agrees.
        var partitions = new ItemPartitions(_database, Options.Create(new StorageOptions()), TimeProvider.System, NullLogger<ItemPartitions>.Instance);
        var dropped = await partitions.DropBeforeAsync(new DateTime(2005, 7, 1, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);

        Assert.Contains("reddit_comments_2005_06", dropped);
        Assert.Equal(0, await _database.CountCommentsAsync(subreddit));
        Assert.True(await Eventually.HoldsAsync(async _ =>
            await _database.ScalarAsync("SELECT coalesce(sum(items), 0)::bigint FROM sentiment_rollup_daily WHERE subreddit = @s", subreddit) == 1,
            TimeSpan.FromMinutes(1)), "the dropped month's rollup is not there");
        Assert.Equal(0L, await _database.ScalarAsync("SELECT count(*) FROM rollup_differences WHERE subreddit = @s", subreddit));
    }

    private async Task<bool> PartitionExistsAsync(string name) =>
        await _database.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname = @s", name) == 1;

    public async Task DisposeAsync() => await _database.DisposeAsync();
}
