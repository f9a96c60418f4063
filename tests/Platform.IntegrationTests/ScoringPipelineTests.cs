using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Collector.Model;
using Collector.Queues;
using Npgsql;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>
/// The Collector's workers against real Redis, Scorer and PostgreSQL: what is queued gets scored and
/// stored exactly once, bad entries are parked with a reason (alone: never their whole batch), reprocessed
/// entries are validated again, and a dead worker's batch is re-delivered.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ScoringPipelineTests(PlatformFixture platform) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private ConnectionMultiplexer _redis = null!;
    private NpgsqlDataSource _database = null!;

    private IDatabase Redis => _redis.GetDatabase();

    public async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!);
        _database = NpgsqlDataSource.Create((await platform.App.GetConnectionStringAsync(ResourceNames.Database))!);
    }

    private async Task<long> CountStoredAsync(string table, IReadOnlyCollection<string> ids)
    {
        await using var command = _database.CreateCommand($"SELECT count(*) FROM {table} WHERE id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", ids.ToArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Queued_items_are_scored_and_stored_once_and_bad_entries_are_parked()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var posts = Enumerable.Range(0, 40).Select(i => TestItems.Envelope(RedditItemKind.Post, $"p{run}{i}", i % 2 == 0 ? "I love this, great work!" : "This is awful.")).ToList();
        var comments = Enumerable.Range(0, 60).Select(i => TestItems.Envelope(RedditItemKind.Comment, $"c{run}{i}", i % 3 == 0 ? "terrible idea" : "nice one")).ToList();
        var processedBefore = (long)await Redis.StringGetAsync(RedisKeys.ProcessedCount);
        var failedBefore = (long)await Redis.StringGetAsync(RedisKeys.FailedCount);

        await Redis.ListLeftPushAsync(RedisKeys.PostsQueue, posts.Select(p => (RedisValue)p.Serialize()).ToArray());
        await Redis.ListLeftPushAsync(RedisKeys.CommentsQueue, comments.Select(c => (RedisValue)c.Serialize()).ToArray());
        await Redis.ListLeftPushAsync(RedisKeys.CommentsQueue, $"not json {run}");

        var postIds = posts.Select(p => p.Item!.Id).ToList();
        var commentIds = comments.Select(c => c.Item!.Id).ToList();
        Assert.True(await Eventually.HoldsAsync(async _ =>
            await CountStoredAsync("reddit_posts", postIds) == 40 && await CountStoredAsync("reddit_comments", commentIds) == 60, Deadline),
            "not every queued item reached PostgreSQL");

        Assert.True(await Eventually.HoldsAsync(async _ => (long)await Redis.StringGetAsync(RedisKeys.ProcessedCount) - processedBefore >= 100, Deadline));
        Assert.Equal(100, (long)await Redis.StringGetAsync(RedisKeys.ProcessedCount) - processedBefore);
        Assert.Equal(1, (long)await Redis.StringGetAsync(RedisKeys.FailedCount) - failedBefore);

        var parked = (await Redis.ListRangeAsync(RedisKeys.FailedQueue)).Select(v => QueueEnvelope.TryParse(v!)).Single(e => e?.Raw == $"not json {run}");
        Assert.StartsWith("malformed_entry", parked!.Reason);

        await using var labels = _database.CreateCommand(
            "SELECT sentiment_label, model_name FROM reddit_posts WHERE id = @positive UNION ALL SELECT sentiment_label, model_name FROM reddit_posts WHERE id = @negative");
        labels.Parameters.AddWithValue("positive", $"p{run}0");
        labels.Parameters.AddWithValue("negative", $"p{run}1");
        await using var reader = await labels.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("positive", "fast"), (reader.GetString(0), reader.GetString(1)));
        Assert.True(await reader.ReadAsync());
        Assert.Equal("negative", reader.GetString(0));
    }

    private async Task<List<QueueEnvelope>> ParkedSinceAsync(string id, DateTimeOffset since) =>
        (await Redis.ListRangeAsync(RedisKeys.FailedQueue))
            .Select(v => QueueEnvelope.TryParse(v!))
            .Where(e => e?.Item?.Id == id && e.FailedAt >= since)
            .Select(e => e!)
            .ToList();

    [Fact]
    public async Task A_nul_in_a_text_is_dropped_on_storage_and_sinks_nothing()
    {
        // PostgreSQL refuses U+0000 in text (22021); it used to cost the whole batch.
        var run = Guid.NewGuid().ToString("N")[..8];
        var batch = Enumerable.Range(0, 10).Select(i => TestItems.Envelope(RedditItemKind.Comment, $"n{run}{i}", i == 3 ? "nice\0 one" : "nice one")).ToList();
        await Redis.ListLeftPushAsync(RedisKeys.CommentsQueue, batch.Select(e => (RedisValue)e.Serialize()).ToArray());

        var ids = batch.Select(e => e.Item!.Id).ToList();
        Assert.True(await Eventually.HoldsAsync(async _ => await CountStoredAsync("reddit_comments", ids) == 10, Deadline),
            "a text with a NUL kept its batch out of PostgreSQL");
        await using var body = _database.CreateCommand("SELECT body FROM reddit_comments WHERE id = @id");
        body.Parameters.AddWithValue("id", $"n{run}3");
        Assert.Equal("nice one", (string?)await body.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_item_postgres_refuses_is_parked_alone_with_its_history_and_the_rest_is_stored()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var refusedText = $"refuse me {run}";
        // A refusal no retry cures, for one text of this test only (a check violation, as a constraint would raise).
        await using (var trigger = _database.CreateCommand($"""
            CREATE FUNCTION it_refuse_{run}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.body = '{refusedText}' THEN
                RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation';
              END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER it_refuse_{run} BEFORE INSERT OR UPDATE ON reddit_comments
              FOR EACH ROW EXECUTE FUNCTION it_refuse_{run}();
            """))
        {
            await trigger.ExecuteNonQueryAsync();
        }

        try
        {
            var enqueuedAt = DateTimeOffset.UtcNow.AddMinutes(-3);
            var batch = Enumerable.Range(0, 12)
                .Select(i => TestItems.Envelope(RedditItemKind.Comment, $"r{run}{i}", i == 7 ? refusedText : "nice one") with { Source = $"dump:test-{run}", EnqueuedAt = enqueuedAt })
                .ToList();
            var pushed = DateTimeOffset.UtcNow;
            await Redis.ListLeftPushAsync(RedisKeys.CommentsQueue, batch.Select(e => (RedisValue)e.Serialize()).ToArray());

            var stored = batch.Where((_, i) => i != 7).Select(e => e.Item!.Id).ToList();
            Assert.True(await Eventually.HoldsAsync(async _ => await CountStoredAsync("reddit_comments", stored) == 11, Deadline),
                "one refused item kept the rest of its batch out of PostgreSQL");
            Assert.True(await Eventually.HoldsAsync(async _ => (await ParkedSinceAsync($"r{run}7", pushed)).Count > 0, Deadline));

            var parked = Assert.Single(await ParkedSinceAsync($"r{run}7", pushed));
            Assert.Equal("storage", parked.Stage);
            Assert.StartsWith("storage_refused: 23514", parked.Reason);
            Assert.Equal($"dump:test-{run}", parked.Source);
            Assert.Equal(enqueuedAt, parked.EnqueuedAt);
            Assert.Equal(0, await CountStoredAsync("reddit_comments", [$"r{run}7"]));
        }
        finally
        {
            await using var drop = _database.CreateCommand($"DROP TRIGGER it_refuse_{run} ON reddit_comments; DROP FUNCTION it_refuse_{run}();");
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Reprocessed_entries_are_validated_again_and_what_validation_parked_stays_parked()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var failedAt = DateTimeOffset.UtcNow.AddHours(-1);
        var removed = TestItems.Envelope(RedditItemKind.Comment, $"v{run}0", "[removed]") with
            { Stage = "validation", Reason = "text_removed", FailedAt = failedAt };
        var rejected = TestItems.Envelope(RedditItemKind.Comment, $"v{run}1", "a fine reply") with
            { Stage = "scoring", Reason = "scorer_rejected: the Scorer was down", FailedAt = failedAt, Attempts = 3 };
        var pushed = DateTimeOffset.UtcNow;
        await Redis.ListLeftPushAsync(RedisKeys.ReprocessQueue, [removed.Serialize(), rejected.Serialize()]);

        Assert.True(await Eventually.HoldsAsync(async _ => await CountStoredAsync("reddit_comments", [$"v{run}1"]) == 1, Deadline),
            "a reprocessed valid entry was not stored");
        Assert.True(await Eventually.HoldsAsync(async _ => (await ParkedSinceAsync($"v{run}0", pushed)).Count > 0, Deadline),
            "a reprocessed [removed] entry was not parked again");
        var parked = Assert.Single(await ParkedSinceAsync($"v{run}0", pushed));
        Assert.Equal(("validation", "text_removed"), (parked.Stage, parked.Reason));
        Assert.Equal(0, await CountStoredAsync("reddit_comments", [$"v{run}0"]));
    }

    [Fact]
    public async Task A_dead_workers_batch_is_redelivered_and_stored_exactly_once()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var ghost = $"ghost-{run}";
        var batch = Enumerable.Range(0, 10).Select(i => TestItems.Envelope(RedditItemKind.Post, $"g{run}{i}", "a fine day")).ToList();
        // One of them had been stored already before the worker died mid-batch.
        await Redis.ListLeftPushAsync(RedisKeys.PostsQueue, batch[0].Serialize());
        Assert.True(await Eventually.HoldsAsync(async _ => await CountStoredAsync("reddit_posts", [batch[0].Item!.Id]) == 1, Deadline));

        // The state a worker leaves when it dies holding a batch: its processing list, no heartbeat.
        await Redis.ListLeftPushAsync(RedisKeys.Processing(ghost), batch.Select(e => (RedisValue)e.Serialize()).ToArray());
        await Redis.SetAddAsync(RedisKeys.Workers, ghost);

        var ids = batch.Select(e => e.Item!.Id).ToList();
        Assert.True(await Eventually.HoldsAsync(async _ => await CountStoredAsync("reddit_posts", ids) == 10, Deadline),
            "the dead worker's batch was not re-delivered");
        Assert.False(await Redis.KeyExistsAsync(RedisKeys.Processing(ghost)));
        Assert.False(await Redis.SetContainsAsync(RedisKeys.Workers, ghost));
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _database.DisposeAsync();
    }
}
