using System.Net;
using System.Net.Sockets;
using Collector.Ingestion.Reddit;
using Collector.Model;

namespace Collector.UnitTests.Reddit;

/// <summary>The request pipeline against the fake server: what is sent, retried, and how it is paced.</summary>
public sealed class RedditClientTests : IAsyncLifetime
{
    private FakeRedditServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRedditServer.StartAsync();
        _server.AddPosts("dotnet", 5);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Task<Listing> GetNewAsync(RedditTestHost host) =>
        host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None);

    [Fact]
    public async Task Requests_carry_the_user_agent_bearer_token_and_listing_parameters()
    {
        await using var host = RedditTestHost.Create(_server.BaseUrl);

        await host.Client.GetListingAsync("r/dotnet/new", ListingQuery.AfterThing("t3_abc", count: 100), CancellationToken.None);

        var request = Assert.Single(_server.ApiRequests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/r/dotnet/new", request.Path);
        Assert.Equal(RedditTestHost.UserAgent, request.UserAgent);
        Assert.Equal("bearer fake-token-1", request.Authorization);
        Assert.Equal(
            new Dictionary<string, string> { ["limit"] = "100", ["after"] = "t3_abc", ["count"] = "100", ["raw_json"] = "1" },
            request.Query);
    }

    [Fact]
    public async Task A_listing_is_parsed_newest_first_with_text_left_raw()
    {
        var comments = _server.AddComments("dotnet", 2, postId: "1abc2d");
        await using var host = RedditTestHost.Create(_server.BaseUrl);

        var posts = await host.Client.GetListingAsync("/r/dotnet/new", new ListingQuery { Limit = 2 }, CancellationToken.None);
        var listing = await host.Client.GetListingAsync("/r/dotnet/comments", ListingQuery.FirstPage, CancellationToken.None);

        Assert.Equal(2, posts.Dist);
        Assert.Equal(posts.Children[^1].Fullname, posts.After);
        Assert.Null(posts.Before);
        var newest = posts.Items.First();
        Assert.Equal(RedditItemKind.Post, newest.Kind);
        Assert.Equal($"Post {newest.Id} <fake> & co", newest.Title);
        Assert.Equal("dotnet", newest.Subreddit);

        Assert.Equal(comments.Reverse(), listing.Children.Select(child => child.Fullname));
        var comment = listing.Items.First();
        Assert.Equal(RedditItemKind.Comment, comment.Kind);
        Assert.Equal("1abc2d", comment.PostId);
        Assert.Equal("t3_1abc2d", comment.ParentId);
        Assert.Equal($"Comment {comment.Id} says > hi & bye", comment.Body);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(408)]
    public async Task Transient_errors_are_retried_with_backoff(int status)
    {
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock);
        _server.Enqueue(FakeFault.Status(status), FakeFault.Status(status));

        var listing = await GetNewAsync(host);

        Assert.Equal(5, listing.Children.Count);
        Assert.Equal([status, status, 200], _server.ApiRequests.Select(r => r.StatusCode));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], clock.Delays);
    }

    [Fact]
    public async Task Retries_stop_after_MaxRetries()
    {
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock, new Dictionary<string, string?> { ["MaxRetries"] = "2" });
        _server.Enqueue(Enumerable.Repeat(FakeFault.Status(503), 5).ToArray());

        var failure = await Assert.ThrowsAsync<RedditApiException>(() => GetNewAsync(host));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Equal(3, _server.ApiRequests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], clock.Delays);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(400)]
    public async Task Client_errors_are_not_retried(int status)
    {
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock);
        _server.Enqueue(FakeFault.Status(status));

        var failure = await Assert.ThrowsAsync<RedditApiException>(() => GetNewAsync(host));

        Assert.Equal((HttpStatusCode)status, failure.StatusCode);
        Assert.Contains("\"error\":" + status, failure.ResponseBody);
        Assert.Single(_server.ApiRequests);
        Assert.Empty(clock.Delays);
    }

    [Fact]
    public async Task A_missing_subreddit_redirect_is_reported_not_followed()
    {
        await using var host = RedditTestHost.Create(_server.BaseUrl);

        var failure = await Assert.ThrowsAsync<RedditApiException>(
            () => host.Client.GetListingAsync("/r/nosuchsub/new", ListingQuery.FirstPage, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Found, failure.StatusCode);
        Assert.Contains("/subreddits/search", failure.Message);
        Assert.Single(_server.ApiRequests);
    }

    [Fact]
    public async Task Too_many_requests_waits_for_the_reset_then_retries()
    {
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock);
        _server.Enqueue(FakeFault.TooManyRequests(resetSeconds: 37));

        var listing = await GetNewAsync(host);

        Assert.Equal(5, listing.Children.Count);
        Assert.Equal([429, 200], _server.ApiRequests.Select(r => r.StatusCode));
        // One wait, for the reset: the limiter, told the window is used up, does not add its own.
        Assert.Equal([TimeSpan.FromSeconds(37)], clock.Delays);
    }

    [Fact]
    public async Task Too_many_requests_without_rate_limit_headers_waits_for_retry_after()
    {
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock);
        _server.Enqueue(FakeFault.TooManyRequests(resetSeconds: 12, withRateLimitHeaders: false));

        await GetNewAsync(host);

        Assert.Equal([TimeSpan.FromSeconds(12)], clock.Delays);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock);
        _server.Enqueue(FakeFault.DropConnection());

        var listing = await GetNewAsync(host);

        Assert.Equal(5, listing.Children.Count);
        Assert.Equal(2, _server.ApiRequests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.Delays);
    }

    [Fact]
    public async Task An_attempt_past_the_request_timeout_is_abandoned_and_retried()
    {
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock, new Dictionary<string, string?> { ["RequestTimeout"] = "00:00:00.300" });
        _server.Enqueue(FakeFault.Hang(TimeSpan.FromSeconds(30)));

        var listing = await GetNewAsync(host);

        Assert.Equal(5, listing.Children.Count);
        Assert.Equal(2, _server.ApiRequests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.Delays);
    }

    [Fact]
    public async Task Connection_refused_is_retried_up_to_MaxRetries()
    {
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock, new Dictionary<string, string?>
        {
            ["ApiBaseUrl"] = $"http://127.0.0.1:{UnusedPort()}/",
            ["MaxRetries"] = "2",
        });

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => GetNewAsync(host));

        Assert.Equal(HttpRequestError.ConnectionError, failure.HttpRequestError);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], clock.Delays);
    }

    [Fact]
    public async Task Requests_are_spread_over_the_rate_limit_window()
    {
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock);
        _server.RateLimit = new FakeRateLimit(limit: 600, resetSeconds: 100, alreadyUsed: 590);

        for (var i = 0; i < 4; i++)
        {
            await GetNewAsync(host);
        }

        // 9 left for 100 s after the first answer, then 8, then 7: each request waits its even share.
        double[] expected = [100.0 / 9, 100.0 / 8, 100.0 / 7];
        Assert.Equal(expected.Length, clock.Delays.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], clock.Delays[i].TotalSeconds, tolerance: 0.002); // Task.Delay counts whole milliseconds
        }

        Assert.Equal(6, host.Get<RedditRateLimiter>().Current!.Remaining);
    }

    [Fact]
    public async Task Pacing_never_goes_below_RateLimitDelay()
    {
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock, new Dictionary<string, string?> { ["RateLimitDelay"] = "00:00:02" });
        _server.RateLimit = new FakeRateLimit(limit: 600, resetSeconds: 100);

        for (var i = 0; i < 3; i++)
        {
            await GetNewAsync(host);
        }

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], clock.Delays);
    }

    [Fact]
    public async Task A_used_up_window_pauses_until_the_reset()
    {
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock);
        _server.RateLimit = new FakeRateLimit(limit: 600, resetSeconds: 250, alreadyUsed: 599);

        await GetNewAsync(host);
        _server.RateLimit = new FakeRateLimit(limit: 600, resetSeconds: 600);
        await GetNewAsync(host);

        Assert.Equal([TimeSpan.FromSeconds(250)], clock.Delays);
        Assert.Equal([200, 200], _server.ApiRequests.Select(r => r.StatusCode));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
