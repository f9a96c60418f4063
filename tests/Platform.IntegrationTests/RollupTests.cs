using Aspire.Hosting.Testing;
using Collector.Model;
using Collector.Queues;
using Npgsql;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>
/// The sentiment rollups, kept by PostgreSQL as items are stored (pending contributions the Collector folds in),
/// against a recomputation from the items: exact
/// after a dead worker's batch is re-delivered (items stored twice) and after items are scored again with new
/// texts; and <c>collector check-rollups</c> finds a difference and <c>--repair</c> mends it.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RollupTests(PlatformFixture platform) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly string[] Texts = ["I love this, what a wonderful day", "This is terrible and I hate it", "The meeting moved to Tuesday"];

    private ConnectionMultiplexer _redis = null!;
    private NpgsqlDataSource _database = null!;
    private Dictionary<string, string?> _settings = null!;

    private IDatabase Redis => _redis.GetDatabase();

    public async Task InitializeAsync()
    {
        var redis = (await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!;
        var database = (await platform.App.GetConnectionStringAsync(ResourceNames.Database))!;
        _redis = await ConnectionMultiplexer.ConnectAsync(redis);
        _database = NpgsqlDataSource.Create(database);
        _settings = new()
        {
            [$"ConnectionStrings:{ResourceNames.Redis}"] = redis,
            [$"ConnectionStrings:{ResourceNames.Database}"] = database,
        };
    }

    [Fact]
    public async Task Rollups_equal_a_recomputation_after_a_dead_workers_batch_is_redelivered_and_items_are_scored_again()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var subreddit = $"roll{run}";
        var start = DateTimeOffset.UtcNow.AddDays(-3);
        // 30 items over three days, so they fall in many hourly and several daily buckets.
        var items = Enumerable.Range(0, 30).Select(i => TestItems.Envelope(i % 3 == 0 ? RedditItemKind.Post : RedditItemKind.Comment,
            $"r{run}{i}", Texts[i % Texts.Length], subreddit, start.AddMinutes(i * 137))).ToList();
        await Redis.ListLeftPushAsync(RedisKeys.PostsQueue, items.Where(e => e.Item!.Kind == RedditItemKind.Post).Select(Value).ToArray());
        await Redis.ListLeftPushAsync(RedisKeys.CommentsQueue, items.Where(e => e.Item!.Kind == RedditItemKind.Comment).Select(Value).ToArray());
        Assert.True(await Eventually.HoldsAsync(async _ => await StoredAsync(subreddit) == 30, Deadline), "the items were not stored");

        // A worker died holding a batch: ten items it had stored already (so stored again on re-delivery) and five new.
        var ghost = $"ghost-{run}";
        var fresh = Enumerable.Range(30, 5).Select(i => TestItems.Envelope(RedditItemKind.Comment, $"r{run}{i}", Texts[i % Texts.Length], subreddit, start.AddHours(i))).ToList();
        var held = items.Where(e => e.Item!.Kind == RedditItemKind.Comment).Take(10).Concat(fresh).ToList();
        await Redis.ListLeftPushAsync(RedisKeys.Processing(ghost), held.Select(Value).ToArray());
        await Redis.SetAddAsync(RedisKeys.Workers, ghost);
        // And five items come again with new texts (an edited comment, a re-scoring): their old contribution must go.
        var edited = items.Where(e => e.Item!.Kind == RedditItemKind.Comment).Skip(10).Take(5)
            .Select(e => e with { Item = e.Item! with { Body = "Absolutely fantastic, best thing ever" } }).ToList();
        await Redis.ListLeftPushAsync(RedisKeys.CommentsQueue, edited.Select(Value).ToArray());

        Assert.True(await Eventually.HoldsAsync(async _ => await StoredAsync(subreddit) == 35 && await EditedAsync(subreddit) == 5 &&
            !await Redis.KeyExistsAsync(RedisKeys.Processing(ghost)), Deadline), "the re-delivered and edited items were not stored");

        Assert.Equal(0, await DifferencesAsync(subreddit)); // exact at once: the check counts what is still pending
        // The Collector folds the pending contributions into the rollups within a second or so.
        Assert.True(await Eventually.HoldsAsync(async _ =>
            await _database.ScalarAsync("SELECT count(*) FROM sentiment_rollup_pending WHERE subreddit = @s", subreddit) == 0, Deadline), "nothing folded the rollups");
        await using (var command = _database.CreateCommand("""
            SELECT (SELECT sum(items) FROM sentiment_rollup_hourly WHERE subreddit = @s),
                   (SELECT sum(items) FROM sentiment_rollup_daily WHERE subreddit = @s),
                   (SELECT sum(positive) FROM sentiment_rollup_hourly WHERE subreddit = @s),
                   (SELECT count(*) FROM reddit_comments WHERE subreddit = @s AND sentiment_label = 'positive')
                 + (SELECT count(*) FROM reddit_posts WHERE subreddit = @s AND sentiment_label = 'positive')
            """))
        {
            command.Parameters.AddWithValue("s", subreddit);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(35m, reader.GetDecimal(0));
            Assert.Equal(35m, reader.GetDecimal(1));
            Assert.Equal((decimal)reader.GetInt64(3), reader.GetDecimal(2));
            Assert.True(reader.GetInt64(3) >= 5, "the edited texts should read as positive");
        }

        var (exit, output, errors) = await CheckRollupsAsync();
        Assert.True(exit == 0, errors);
        Assert.Contains("rollups agree with a recomputation", output);
    }

    [Fact]
    public async Task Check_rollups_names_a_bucket_that_differs_and_repair_rebuilds_the_rollups()
    {
        var subreddit = $"tamper{Guid.NewGuid():N}"[..20];
        await using (var tamper = _database.CreateCommand(
            "INSERT INTO sentiment_rollup_hourly VALUES (@s, 'post', '2020-01-01T05:00:00Z', 3, 3, 0, 0, 1500000, 2000000)"))
        {
            tamper.Parameters.AddWithValue("s", subreddit);
            await tamper.ExecuteNonQueryAsync();
        }

        var (exit, _, errors) = await CheckRollupsAsync();
        Assert.Equal(Collector.Cli.CollectorCommandLine.Failed, exit);
        Assert.Contains($"hour 2020-01-01 05:00 r/{subreddit} posts: 3 stored, none recomputed", errors);
        Assert.Contains("differ from a recomputation", errors);

        (exit, var output, errors) = await CheckRollupsAsync("--repair");
        Assert.True(exit == 0, errors);
        Assert.Contains("rebuilt the rollups", output);
        Assert.Contains("rollups agree", output);
        Assert.Equal(0, await DifferencesAsync(subreddit));
    }

    private static RedisValue Value(QueueEnvelope envelope) => envelope.Serialize();

    private async Task<long> StoredAsync(string subreddit) =>
        await _database.CountCommentsAsync(subreddit) + await _database.ScalarAsync("SELECT count(*) FROM reddit_posts WHERE subreddit = @s", subreddit);

    private Task<long> EditedAsync(string subreddit) =>
        _database.ScalarAsync("SELECT count(*) FROM reddit_comments WHERE subreddit = @s AND body LIKE 'Absolutely fantastic%'", subreddit);

    private Task<long> DifferencesAsync(string subreddit) =>
        _database.ScalarAsync("SELECT count(*) FROM rollup_differences WHERE subreddit = @s", subreddit);

    private async Task<(int Exit, string Output, string Errors)> CheckRollupsAsync(params string[] options)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await Collector.Cli.CollectorCommandLine.RunAsync(["check-rollups", .. options], _settings, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _database.DisposeAsync();
    }
}
