using Aspire.Hosting.Testing;
using Collector.Cli;
using Collector.Ingestion;
using Collector.Ingestion.Reddit;
using Collector.Ingestion.Refresh;
using Collector.Ingestion.Threads;
using Collector.Model;
using Collector.UnitTests.Reddit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Platform.IntegrationTests;

/// <summary>
/// The live collection beyond the listings, against the fake Reddit and the running app's PostgreSQL, Redis and
/// workers: a post's whole thread is read once it is due and only comments not stored yet are queued; a refresh
/// updates Reddit scores, has edited texts scored again and records deletions and removals, keeping what was scored.
/// The Collector's services are taken from its container (built, not started, as the command line does), so the
/// passes run when the test says; the app's own workers score and store what they queue.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RedditCollectionTests(PlatformFixture platform) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private FakeRedditServer _reddit = null!;
    private WebApplication _collector = null!;
    private NpgsqlDataSource _database = null!;
    private readonly string _subreddit = $"live{Guid.NewGuid():N}"[..14];

    public async Task InitializeAsync()
    {
        _reddit = await FakeRedditServer.StartAsync();
        _reddit.FirstCreated = DateTimeOffset.UtcNow.AddHours(-1); // recent, as the refresh's age window wants
        var database = (await platform.App.GetConnectionStringAsync(ResourceNames.Database))!;
        _database = NpgsqlDataSource.Create(database);
        _collector = CollectorHost.Build(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.Redis}"] = await platform.App.GetConnectionStringAsync(ResourceNames.Redis),
            [$"ConnectionStrings:{ResourceNames.Database}"] = database,
            ["Reddit:ApiBaseUrl"] = _reddit.BaseUrl.ToString(),
            ["Reddit:AuthBaseUrl"] = _reddit.BaseUrl.ToString(),
            ["Reddit:ClientId"] = FakeRedditServer.ClientId,
            ["Reddit:ClientSecret"] = FakeRedditServer.ClientSecret,
            ["Reddit:AppId"] = "com.example.sentiment",
            ["Reddit:RedditUser"] = "sentiment_dev",
            ["Reddit:Subreddits:0"] = _subreddit,
            ["Reddit:Threads:ReadAfter"] = "00:00:00",
            ["Reddit:Threads:MaxRequestsPerThread"] = "50",
            ["Reddit:Refresh:MinInterval"] = "00:00:01",
            ["Reddit:Refresh:MaxItemsPerPass"] = "100000",
        });
    }

    public async Task DisposeAsync()
    {
        await _collector.DisposeAsync();
        await _reddit.DisposeAsync();
        await _database.DisposeAsync();
    }

    private T Get<T>() where T : notnull => _collector.Services.GetRequiredService<T>();

    /// <summary>One pass of the poller over the subreddit, each batch taken as the service takes it.</summary>
    private async Task PollAsync()
    {
        var service = ActivatorUtilities.CreateInstance<RedditIngestionService>(_collector.Services);
        await foreach (var batch in Get<SubredditPoller>().PollOnceAsync(CancellationToken.None))
        {
            await service.AcceptAsync(batch, CancellationToken.None);
            await batch.CommitAsync(CancellationToken.None);
        }
    }

    private Task<long> CountAsync(string sql) => _database.ScalarAsync(sql, _subreddit);

    [Fact]
    public async Task A_posts_whole_thread_is_collected_once_and_comments_already_stored_are_not_queued_again()
    {
        var post = _reddit.AddPosts(_subreddit, 1)[0];
        _reddit.ThreadInlineLimit = 40;
        _reddit.ThreadDepthLimit = 5;
        var parents = Enumerable.Range(0, 180).Select(i => i < 12 ? i - 1 : (i * 7919 % (i + 1)) - 1).ToList();
        var comments = _reddit.AddThreadComments(_subreddit, post, parents);

        await PollAsync();
        var first = await Get<ThreadCrawler>().RunOnceAsync(CancellationToken.None);

        Assert.Equal((1, 180, 0, 0), (first.Threads, first.Queued, first.Known, first.Failed));
        Assert.True(await Eventually.HoldsAsync(async _ => await CountAsync("SELECT count(*) FROM reddit_comments WHERE subreddit = @s") == 180L, Deadline),
            "the thread's comments were not all stored");
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM reddit_posts WHERE subreddit = @s"));
        Assert.Equal(180L, await CountAsync($"SELECT count(*) FROM reddit_comments WHERE subreddit = @s AND post_id = '{post[3..]}'"));

        // Due again (as after a crash before it was marked done): what is stored unchanged is not queued again.
        _reddit.SetField(comments[5], "body", "Edited: this turned out to be a wonderful, helpful thread.");
        await Get<ThreadSchedule>().AddAsync([new RedditItem(RedditItemKind.Post, post[3..], _subreddit, "author", "title", "", DateTimeOffset.UtcNow.AddHours(-1))], TimeSpan.Zero);
        var again = await Get<ThreadCrawler>().RunOnceAsync(CancellationToken.None);

        Assert.Equal((1, 1, 179), (again.Threads, again.Queued, again.Known));
        Assert.True(await Eventually.HoldsAsync(async _ => await CountAsync(
            $"SELECT count(*) FROM reddit_comments WHERE subreddit = @s AND id = '{comments[5][3..]}' AND body LIKE 'Edited:%'") == 1L, Deadline),
            "the edited comment was not stored again");
        Assert.Equal(0L, await _database.ScalarAsync("SELECT count(*) FROM rollup_differences WHERE subreddit = @s", _subreddit));
    }

    [Fact]
    public async Task A_refresh_updates_scores_scores_edits_again_and_records_removals_keeping_what_was_scored()
    {
        var posts = _reddit.AddPosts(_subreddit, 2);
        var comments = _reddit.AddComments(_subreddit, 3);
        await PollAsync();
        foreach (var post in posts)
        {
            await Get<ThreadSchedule>().DoneAsync(new DueThread(_subreddit, post[3..])); // threads are the other test's
        }

        Assert.True(await Eventually.HoldsAsync(async _ =>
            await CountAsync("SELECT (SELECT count(*) FROM reddit_posts WHERE subreddit = @s) + (SELECT count(*) FROM reddit_comments WHERE subreddit = @s)") == 5L,
            Deadline), "the polled items were not stored");
        var removedBody = await ScalarTextAsync($"SELECT body FROM reddit_comments WHERE id = '{comments[1][3..]}'");
        var removedLabel = await ScalarTextAsync($"SELECT sentiment_label FROM reddit_comments WHERE id = '{comments[1][3..]}'");

        _reddit.SetField(posts[0], "score", 777);
        _reddit.SetField(comments[0], "body", "This is awful. I hate it, worst update ever, everything is broken.");
        _reddit.SetField(comments[1], "body", "[removed]");
        _reddit.SetField(posts[1], "removed_by_category", "deleted");
        _reddit.SetField(posts[1], "selftext", "[deleted]");
        var pass = await Get<ItemRefresher>().RunOnceAsync(CancellationToken.None);

        Assert.True(pass.Edited >= 1 && pass.Removed >= 2, $"refresh pass: {pass}");
        Assert.Equal(777L, await CountAsync($"SELECT reddit_score::bigint FROM reddit_posts WHERE subreddit = @s AND id = '{posts[0][3..]}'"));
        Assert.Equal("deleted", await ScalarTextAsync($"SELECT removal FROM reddit_posts WHERE id = '{posts[1][3..]}'"));
        Assert.Equal("removed", await ScalarTextAsync($"SELECT removal FROM reddit_comments WHERE id = '{comments[1][3..]}'"));
        Assert.Equal(removedBody, await ScalarTextAsync($"SELECT body FROM reddit_comments WHERE id = '{comments[1][3..]}'"));
        Assert.Equal(removedLabel, await ScalarTextAsync($"SELECT sentiment_label FROM reddit_comments WHERE id = '{comments[1][3..]}'"));
        Assert.Equal(5L, await CountAsync(
            "SELECT (SELECT count(*) FROM reddit_posts WHERE subreddit = @s AND refreshed_at IS NOT NULL) + (SELECT count(*) FROM reddit_comments WHERE subreddit = @s AND refreshed_at IS NOT NULL)"));
        Assert.True(await Eventually.HoldsAsync(async _ => await ScalarTextAsync(
            $"SELECT sentiment_label FROM reddit_comments WHERE id = '{comments[0][3..]}' AND body LIKE 'This is awful.%'") == "negative", Deadline),
            "the edited comment was not scored again");

        // Read again at once: nothing is due before MinInterval, and removed items are not asked about again.
        var second = await Get<ItemRefresher>().RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, second.Removed);
        Assert.Equal(0L, await _database.ScalarAsync("SELECT count(*) FROM rollup_differences WHERE subreddit = @s", _subreddit));
    }

    private async Task<string?> ScalarTextAsync(string sql)
    {
        await using var command = _database.CreateCommand(sql);
        return (string?)await command.ExecuteScalarAsync();
    }
}
