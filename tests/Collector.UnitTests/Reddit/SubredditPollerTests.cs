using Collector.Ingestion;
using System.Text.Json;
using Collector.Ingestion.Reddit;
using Collector.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Collector.UnitTests.Reddit;

/// <summary>
/// Paging and checkpoints against the fake server. A "restart" is a new host (new client, limiter, poller)
/// sharing only the checkpoint store, as the Collector shares Redis across restarts.
/// </summary>
public sealed class SubredditPollerTests : IAsyncLifetime
{
    private readonly InMemoryCheckpointStore _checkpoints = new();
    private FakeRedditServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRedditServer.StartAsync();
        _server.AddSubreddit("dotnet");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private RedditTestHost StartCollector(params string[] subreddits)
    {
        var settings = new Dictionary<string, string?> { ["Subreddits:0"] = null };
        for (var i = 0; i < subreddits.Length; i++)
        {
            settings[$"Subreddits:{i}"] = subreddits[i];
        }

        return RedditTestHost.Create(
            _server.BaseUrl,
            settings: subreddits.Length == 0 ? null : settings,
            before: services => services.AddSingleton<ICheckpointStore>(_checkpoints));
    }

    private static async Task<List<PollBatch>> PollAsync(RedditTestHost host) =>
        await host.Poller.PollOnceAsync(CancellationToken.None).ToListAsync();

    private static async Task<PollBatch> PollAndCommitAsync(RedditTestHost host)
    {
        var batch = Assert.Single(await PollAsync(host));
        await batch.CommitAsync(CancellationToken.None);
        return batch;
    }

    private Task<string?> CheckpointAsync(RedditItemKind kind = RedditItemKind.Post) =>
        _checkpoints.GetAsync(SubredditPoller.CheckpointKey("dotnet", kind), CancellationToken.None);

    private List<RecordedRequest> ListingRequests(string listing = "new") =>
        _server.ApiRequests.Where(r => r.Path == $"/r/dotnet/{listing}").ToList();

    [Fact]
    public async Task The_first_run_takes_one_page_oldest_first_and_commits_only_when_told()
    {
        var posts = _server.AddPosts("dotnet", 150);
        await using var host = StartCollector();

        var batch = Assert.Single(await PollAsync(host));

        Assert.Equal(RedditItemKind.Post, batch.Kind);
        Assert.Null(batch.PreviousCheckpoint);
        Assert.Equal(posts.Skip(50), batch.Items.Select(item => item.FullName));
        Assert.Single(ListingRequests());
        Assert.Null(await CheckpointAsync());

        await batch.CommitAsync(CancellationToken.None);

        Assert.Equal(posts[^1], await CheckpointAsync());
    }

    [Fact]
    public async Task Later_runs_page_back_until_the_checkpoint()
    {
        _server.AddPosts("dotnet", 120);
        await using var host = StartCollector();
        var first = await PollAndCommitAsync(host);
        _server.ClearRequests();

        var posts = _server.AddPosts("dotnet", 250);
        var second = await PollAndCommitAsync(host);

        Assert.Equal(first.NewCheckpoint, second.PreviousCheckpoint);
        Assert.Equal(posts, second.Items.Select(item => item.FullName));
        var pages = ListingRequests();
        Assert.Equal(3, pages.Count);
        Assert.False(pages[0].Query.ContainsKey("after"));
        Assert.Equal(posts[150], pages[1].Query["after"]);
        Assert.Equal(posts[50], pages[2].Query["after"]);
        Assert.All(pages, page => Assert.Equal("100", page.Query["limit"]));

        _server.ClearRequests();
        Assert.Empty(await PollAsync(host));
        Assert.Single(ListingRequests());
    }

    [Fact]
    public async Task Nothing_is_fetched_twice_or_skipped_across_restarts()
    {
        var all = new List<string>(_server.AddPosts("dotnet", 100));
        var delivered = new List<string>();

        await using (var collector = StartCollector())
        {
            delivered.AddRange((await PollAndCommitAsync(collector)).Items.Select(item => item.FullName));
            all.AddRange(_server.AddPosts("dotnet", 30));
            delivered.AddRange((await PollAndCommitAsync(collector)).Items.Select(item => item.FullName));
        }

        all.AddRange(_server.AddPosts("dotnet", 140));
        await using (var restarted = StartCollector())
        {
            delivered.AddRange((await PollAndCommitAsync(restarted)).Items.Select(item => item.FullName));
            all.AddRange(_server.AddPosts("dotnet", 7));
            delivered.AddRange((await PollAndCommitAsync(restarted)).Items.Select(item => item.FullName));
        }

        Assert.Equal(all, delivered);
    }

    [Fact]
    public async Task A_crash_before_commit_fetches_the_batch_again()
    {
        _server.AddPosts("dotnet", 10);
        await using (var collector = StartCollector())
        {
            await PollAndCommitAsync(collector);
        }

        var unacknowledged = _server.AddPosts("dotnet", 20);
        await using (var crashing = StartCollector())
        {
            var lost = Assert.Single(await PollAsync(crashing));
            Assert.Equal(unacknowledged, lost.Items.Select(item => item.FullName));
            // The process dies here, before CommitAsync.
        }

        var later = _server.AddPosts("dotnet", 5);
        await using var restarted = StartCollector();
        var batch = await PollAndCommitAsync(restarted);

        Assert.Equal(unacknowledged.Concat(later), batch.Items.Select(item => item.FullName));
        Assert.Empty(await PollAsync(restarted));
    }

    [Fact]
    public async Task A_deleted_checkpoint_thing_does_not_stall_polling()
    {
        _server.AddPosts("dotnet", 10);
        await using var host = StartCollector();
        var checkpoint = (await PollAndCommitAsync(host)).NewCheckpoint;
        _server.Remove(checkpoint);
        var posts = _server.AddPosts("dotnet", 5);

        // Paging with before=checkpoint would now see nothing new, ever.
        var viaBefore = await host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.BeforeThing(checkpoint), CancellationToken.None);
        Assert.Empty(viaBefore.Children);

        var batch = await PollAndCommitAsync(host);

        Assert.Equal(posts, batch.Items.Select(item => item.FullName));
    }

    [Fact]
    public async Task Comments_come_from_the_comments_listing_with_their_own_checkpoint()
    {
        var posts = _server.AddPosts("dotnet", 2);
        var comments = _server.AddComments("dotnet", 3, postId: posts[0][3..]);
        await using var host = StartCollector();

        var batches = await PollAsync(host);

        Assert.Equal([RedditItemKind.Post, RedditItemKind.Comment], batches.Select(batch => batch.Kind));
        var commentBatch = batches[1];
        Assert.Equal(comments, commentBatch.Items.Select(item => item.FullName));
        Assert.All(commentBatch.Items, comment => Assert.Equal(posts[0][3..], comment.PostId));
        Assert.Single(ListingRequests("comments"));

        await commentBatch.CommitAsync(CancellationToken.None);
        Assert.Equal(comments[^1], await CheckpointAsync(RedditItemKind.Comment));
        Assert.Null(await CheckpointAsync(RedditItemKind.Post));
    }

    [Fact]
    public async Task A_failing_subreddit_does_not_stop_the_others()
    {
        var posts = _server.AddPosts("dotnet", 3);
        await using var host = StartCollector("nosuchsub", "dotnet");

        var batch = Assert.Single(await PollAsync(host));

        Assert.Equal("dotnet", batch.Subreddit);
        Assert.Equal(posts, batch.Items.Select(item => item.FullName));
    }

    [Fact]
    public async Task A_backlog_beyond_what_reddit_lists_stops_after_ten_pages()
    {
        _server.AddPosts("dotnet", 5);
        await using var host = StartCollector();
        await PollAndCommitAsync(host);
        _server.ClearRequests();

        var posts = _server.AddPosts("dotnet", 1500);
        var batch = await PollAndCommitAsync(host);

        Assert.Equal(SubredditPoller.MaxPages, ListingRequests().Count);
        Assert.Equal(posts.Skip(500), batch.Items.Select(item => item.FullName));
    }

    [Fact]
    public async Task Things_the_mapper_rejects_come_as_failed_records_and_are_passed_by_the_checkpoint()
    {
        var posts = _server.AddPosts("dotnet", 4);
        await using var host = RedditTestHost.Create(
            _server.BaseUrl,
            before: services => services
                .AddSingleton<ICheckpointStore>(_checkpoints)
                .AddSingleton<IRedditThingMapper>(new RejectingMapper()));

        var batch = await PollAndCommitAsync(host);

        Assert.Empty(batch.Items);
        Assert.All(batch.Records, record => Assert.Equal("rejected by the test", record.Result.Reason));
        Assert.Equal(posts, batch.Records.Select(record => Data(record.Origin).GetProperty("name").GetString()));
        Assert.Equal(posts[^1], await CheckpointAsync());
        Assert.Empty(await PollAsync(host));
    }

    [Fact]
    public async Task A_post_the_mapper_rejects_is_a_failed_record_with_its_reason_and_json_and_the_checkpoint_passes_it()
    {
        var posts = _server.AddPosts("dotnet", 3);
        _server.SetField(posts[^1], "created_utc", "yesterday");
        await using var host = StartCollector();

        var batch = Assert.Single(await PollAsync(host));

        Assert.Equal(3, batch.Records.Count);
        Assert.Equal(posts.SkipLast(1), batch.Items.Select(item => item.FullName));
        Assert.Equal(posts.SkipLast(1).Select(post => $"api:{post}"), batch.Records.SkipLast(1).Select(record => record.Origin));
        var failed = batch.Records[^1];
        Assert.False(failed.Result.IsSuccess);
        Assert.Equal("invalid_created_utc: \"yesterday\"", failed.Result.Reason);
        using (var raw = JsonDocument.Parse(failed.Origin))
        {
            Assert.Equal("t3", raw.RootElement.GetProperty("kind").GetString());
            Assert.Equal(posts[^1], raw.RootElement.GetProperty("data").GetProperty("name").GetString());
            Assert.Equal("yesterday", raw.RootElement.GetProperty("data").GetProperty("created_utc").GetString());
        }

        Assert.Equal(posts[^1], batch.NewCheckpoint);
        await batch.CommitAsync(CancellationToken.None);
        Assert.Equal(posts[^1], await CheckpointAsync());
        Assert.Empty(await PollAsync(host));
    }

    [Fact]
    public async Task A_child_without_a_fullname_keeps_its_place_among_the_new_ones()
    {
        var posts = _server.AddPosts("dotnet", 3);
        _server.SetField(posts[1], "name", null);
        _server.SetField(posts[1], "id", null);
        await using var host = StartCollector();

        var batch = await PollAndCommitAsync(host);

        Assert.Equal([posts[0], posts[2]], batch.Items.Select(item => item.FullName));
        Assert.Equal([true, false, true], batch.Records.Select(record => record.Result.IsSuccess));
        var failed = batch.Records[1];
        Assert.Equal("no_fullname: expected t3_<id>, got none", failed.Result.Reason);
        Assert.Equal($"Post {posts[1][3..]} <fake> & co", Data(failed.Origin).GetProperty("title").GetString());
        Assert.Equal(posts[2], await CheckpointAsync());
    }

    [Fact]
    public async Task A_child_without_a_fullname_on_top_waits_until_something_newer_is_listed_and_is_taken_once()
    {
        _server.AddPosts("dotnet", 2);
        await using var host = StartCollector();
        var first = await PollAndCommitAsync(host);
        var nameless = Assert.Single(_server.AddPosts("dotnet", 1));
        _server.SetField(nameless, "name", null);
        _server.SetField(nameless, "id", null);

        // Nothing new is listed above it, so it cannot be placed against the checkpoint yet.
        Assert.Empty(await PollAsync(host));
        Assert.Equal(first.NewCheckpoint, await CheckpointAsync());

        var newer = _server.AddPosts("dotnet", 1);
        var batch = await PollAndCommitAsync(host);

        Assert.Equal(newer, batch.Items.Select(item => item.FullName));
        var failed = Assert.Single(batch.Records, record => !record.Result.IsSuccess);
        Assert.Equal("no_fullname: expected t3_<id>, got none", failed.Result.Reason);
        Assert.Equal($"Post {nameless[3..]} <fake> & co", Data(failed.Origin).GetProperty("title").GetString());
        Assert.Equal(newer[0], await CheckpointAsync());

        // The checkpoint is above it now: later passes stop before they reach it.
        Assert.Empty(await PollAsync(host));
    }

    [Fact]
    public async Task RunAsync_commits_after_accept_and_refetches_what_accept_refused()
    {
        var posts = _server.AddPosts("dotnet", 3);
        await using var host = StartCollector();
        using var stop = new CancellationTokenSource();
        var offered = new List<IReadOnlyList<string>>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Poller.RunAsync(async (batch, _) =>
        {
            offered.Add(batch.Items.Select(item => item.FullName).ToList());
            Assert.Null(await CheckpointAsync());
            if (offered.Count == 1)
            {
                throw new InvalidOperationException("queue unavailable");
            }

            stop.Cancel();
        }, stop.Token));

        Assert.Equal([posts, posts], offered);
        Assert.Equal(posts[^1], await CheckpointAsync());
    }

    [Fact]
    public async Task RunAsync_polls_subreddits_side_by_side_so_a_backlog_does_not_hold_the_others_back()
    {
        // "busy" has a checkpoint and 600 new posts (six pages); "quiet" has a checkpoint and one new post.
        var busyOld = _server.AddPosts("busy", 1)[0];
        var quietOld = _server.AddPosts("quiet", 1)[0];
        await _checkpoints.SetAsync(SubredditPoller.CheckpointKey("busy", RedditItemKind.Post), busyOld, CancellationToken.None);
        await _checkpoints.SetAsync(SubredditPoller.CheckpointKey("quiet", RedditItemKind.Post), quietOld, CancellationToken.None);
        _server.AddPosts("busy", 600);
        var quietNew = _server.AddPosts("quiet", 1)[0];
        await using var host = StartCollector("busy", "quiet");
        using var stop = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Poller.RunAsync((batch, _) =>
        {
            if (batch.Subreddit == "quiet")
            {
                stop.Cancel(); // quiet's post is in: enough
            }

            return Task.CompletedTask;
        }, stop.Token));

        var listings = _server.ApiRequests.Where(r => r.Path.EndsWith("/new", StringComparison.Ordinal)).Select(r => r.Path).ToList();
        Assert.Equal(quietNew, await _checkpoints.GetAsync(SubredditPoller.CheckpointKey("quiet", RedditItemKind.Post), CancellationToken.None));
        Assert.InRange(listings.IndexOf("/r/quiet/new"), 0, 2); // not after busy's six pages
    }

    /// <summary>The <c>data</c> of a child's raw JSON, as a parked record keeps it.</summary>
    private static JsonElement Data(string raw)
    {
        using var document = JsonDocument.Parse(raw);
        return document.RootElement.GetProperty("data").Clone();
    }

    private sealed class RejectingMapper : IRedditThingMapper
    {
        public MappingResult Map(JsonElement data, RedditItemKind kind) => MappingResult.Failure("rejected by the test");
    }
}
