using Collector.Ingestion.Reddit;

namespace Collector.UnitTests.Reddit;

/// <summary>
/// Whole threads against the fake server's Reddit shapes: the nested tree, <c>more</c> ids expanded through
/// morechildren in batches of at most 100, "continue this thread" links read as subtrees, within a request cap.
/// </summary>
public sealed class ThreadReaderTests : IAsyncLifetime
{
    private FakeRedditServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeRedditServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A thread of <paramref name="count"/> comments: chains, wide levels and a deep branch.</summary>
    private static List<int> Shape(int count)
    {
        var parents = new List<int>(count);
        var random = new Random(7);
        for (var i = 0; i < count; i++)
        {
            parents.Add(i < 20 ? i - 1 : random.Next(-4, i)); // the first 20 a chain 20 deep, then anywhere
        }

        return parents;
    }

    [Fact]
    public async Task Every_comment_of_a_thread_is_read_once_with_more_links_expanded()
    {
        var post = _server.AddPosts("dotnet", 1)[0];
        var comments = _server.AddThreadComments("dotnet", post, Shape(450));
        _server.ThreadInlineLimit = 60;
        _server.ThreadDepthLimit = 6;
        await using var host = RedditTestHost.Create(_server.BaseUrl, settings: new Dictionary<string, string?> { ["Threads:MaxRequestsPerThread"] = "100" });

        var thread = await host.Get<ThreadReader>().ReadAsync("dotnet", post[3..], CancellationToken.None);

        Assert.Equal(post, thread.Post!.Fullname);
        Assert.Equal(comments.Order(), thread.Comments.Select(comment => comment.Fullname!).Order());
        Assert.All(thread.Comments, comment => Assert.NotNull(comment.Item));
        Assert.Equal(0, thread.Unread);
        var requests = _server.ApiRequests;
        Assert.Equal(thread.Requests, requests.Count);
        var more = requests.Where(r => r.Path == "/api/morechildren").ToList();
        Assert.NotEmpty(more);
        Assert.All(more, r => Assert.InRange(r.Query["children"].Split(',').Length, 1, 100));
        Assert.All(more, r => Assert.Equal(post, r.Query["link_id"]));
        Assert.Contains(requests, r => r.Path == $"/comments/{post[3..]}" && r.Query.ContainsKey("comment")); // continue this thread
    }

    [Fact]
    public async Task The_request_cap_stops_a_huge_thread_and_says_how_much_is_left()
    {
        var post = _server.AddPosts("dotnet", 1)[0];
        _server.AddThreadComments("dotnet", post, Enumerable.Repeat(-1, 500).ToList());
        _server.ThreadInlineLimit = 50;
        await using var host = RedditTestHost.Create(_server.BaseUrl, settings: new Dictionary<string, string?> { ["Threads:MaxRequestsPerThread"] = "3" });

        var thread = await host.Get<ThreadReader>().ReadAsync("dotnet", post[3..], CancellationToken.None);

        Assert.Equal(3, _server.ApiRequests.Count);
        Assert.Equal(250, thread.Comments.Count); // the tree's 50 and two batches of 100
        Assert.Equal(250, thread.Unread);
    }

    [Fact]
    public async Task Info_answers_things_by_fullname_with_what_reddit_says_now()
    {
        var posts = _server.AddPosts("dotnet", 2);
        var comment = _server.AddComments("dotnet", 1)[0];
        _server.SetField(posts[0], "score", 4321);
        _server.SetField(comment, "body", "[removed]");
        await using var host = RedditTestHost.Create(_server.BaseUrl);

        var listing = await host.Client.GetInfoAsync([posts[0], comment, "t3_zzzzzz"], CancellationToken.None);

        Assert.Equal([posts[0], comment], listing.Children.Select(child => child.Fullname));
        Assert.Equal(4321, listing.Children[0].Item!.Score);
        Assert.Null(ThingRemoval.Of(listing.Children[0].Raw));
        Assert.Equal(ThingRemoval.Removed, ThingRemoval.Of(listing.Children[1].Raw));
        Assert.Equal($"{posts[0]},{comment},t3_zzzzzz", _server.ApiRequests.Single().Query["id"]);
    }

    [Theory]
    [InlineData("""{"kind":"t3","data":{"removed_by_category":"moderator","selftext":"[removed]"}}""", ThingRemoval.Removed)]
    [InlineData("""{"kind":"t3","data":{"removed_by_category":"deleted","selftext":"[deleted]"}}""", ThingRemoval.Deleted)]
    [InlineData("""{"kind":"t1","data":{"body":"[deleted]","author":"[deleted]"}}""", ThingRemoval.Deleted)]
    [InlineData("""{"kind":"t1","data":{"body":"[removed]"}}""", ThingRemoval.Removed)]
    [InlineData("""{"kind":"t1","data":{"body":"I said [removed] once"}}""", null)]
    [InlineData("""{"kind":"t3","data":{"removed_by_category":null,"selftext":""}}""", null)]
    [InlineData("not json", null)]
    public void Removals_are_read_from_what_reddit_shows(string raw, string? expected) =>
        Assert.Equal(expected, ThingRemoval.Of(raw));
}
