using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Collector.Model;
using Collector.Queues;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>The Gateway's REST reads over data written by the Collector's path (Redis → workers → Scorer → PostgreSQL).</summary>
[Collection(PlatformCollection.Name)]
public sealed class GatewayReadTests(PlatformFixture platform) : IAsyncLifetime
{
    private readonly string _subreddit = $"gw{Guid.NewGuid().ToString("N")[..8]}";
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _http = await platform.GatewayClientAsync(Caller.Admin);
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!);
        var now = DateTimeOffset.UtcNow;
        QueueEnvelope Entry(RedditItem item) => new() { Item = item, Source = "test", EnqueuedAt = now };
        var entries = new[]
        {
            Entry(new RedditItem(RedditItemKind.Post, $"{_subreddit}p1", _subreddit, "a", "Wonderful news, I love it", "", now.AddHours(-3))),
            Entry(new RedditItem(RedditItemKind.Post, $"{_subreddit}p2", _subreddit, "b", "Awful outage again", "terrible service", now.AddHours(-2))),
            Entry(new RedditItem(RedditItemKind.Comment, $"{_subreddit}c1", _subreddit, "c", null, "great point, thanks", now.AddHours(-1), $"t3_{_subreddit}p1", $"{_subreddit}p1")),
        };
        await redis.GetDatabase().ListLeftPushAsync(RedisKeys.PostsQueue, entries.Take(2).Select(e => (RedisValue)e.Serialize()).ToArray());
        await redis.GetDatabase().ListLeftPushAsync(RedisKeys.CommentsQueue, entries[2].Serialize());

        Assert.True(await Eventually.HoldsAsync(async ct =>
        {
            var response = await _http.GetAsync($"/api/v1/posts/{_subreddit}p1", ct);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            var post = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            return post.GetProperty("comments").GetArrayLength() == 1;
        }, TimeSpan.FromMinutes(2)), "the Collector's items did not reach the Gateway's reads");
    }

    [Fact]
    public async Task Posts_are_filtered_by_subreddit_and_sorted_by_sentiment()
    {
        var page = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/posts?subreddit={_subreddit}&sort=sentiment_asc");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([$"{_subreddit}p2", $"{_subreddit}p1"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal("negative", items[0].GetProperty("sentimentLabel").GetString());
        Assert.True(page.GetProperty("nextOffset").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task A_post_comes_with_its_comments_and_their_sentiment()
    {
        var post = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/posts/{_subreddit}p1");

        Assert.Equal("positive", post.GetProperty("post").GetProperty("sentimentLabel").GetString());
        Assert.Equal(1, post.GetProperty("commentSentiment").GetProperty("positive").GetInt64());
        Assert.Equal($"{_subreddit}c1", post.GetProperty("comments")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Subreddit_aggregates_are_cached_with_an_etag()
    {
        // New scores show once each replica re-reads the cache versions (within a quarter second).
        JsonElement mine = default;
        Assert.True(await Eventually.HoldsAsync(async ct =>
        {
            var all = await (await _http.GetAsync("/api/v1/subreddits?limit=100", ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
            mine = all.EnumerateArray().FirstOrDefault(s => s.GetProperty("subreddit").GetString() == _subreddit);
            return mine.ValueKind == JsonValueKind.Object && mine.GetProperty("sentiment").GetProperty("count").GetInt64() == 3;
        }, TimeSpan.FromSeconds(30)));

        Assert.Equal(2, mine.GetProperty("posts").GetInt64());
        Assert.Equal(1, mine.GetProperty("comments").GetInt64());

        // Scores landing from elsewhere change the version (and so the key and ETag) at any moment: what must
        // hold is that a repeated read is a hit and a conditional one answers 304 while nothing lands.
        Assert.True(await Eventually.HoldsAsync(async ct =>
        {
            var first = await _http.GetAsync("/api/v1/subreddits?limit=100", ct);
            var second = await _http.GetAsync("/api/v1/subreddits?limit=100", ct);
            using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/v1/subreddits?limit=100");
            conditional.Headers.IfNoneMatch.Add(second.Headers.ETag!);
            var notModified = await _http.SendAsync(conditional, ct);
            return second.Headers.GetValues("X-Cache").Single() == "hit"
                && first.Headers.ETag?.Tag == second.Headers.ETag?.Tag
                && notModified.StatusCode == HttpStatusCode.NotModified;
        }, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Search_finds_keywords_with_their_sentiment()
    {
        JsonElement result = default;
        Assert.True(await Eventually.HoldsAsync(async ct =>
        {
            result = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/search?q=outage&subreddit={_subreddit}", ct);
            return result.GetProperty("posts").GetProperty("count").GetInt64() == 1;
        }, TimeSpan.FromSeconds(30)));
        Assert.Equal($"{_subreddit}p2", result.GetProperty("topPosts")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_time_series_buckets_a_subreddits_sentiment()
    {
        var series = await _http.GetFromJsonAsync<JsonElement>(
            $"/api/v1/subreddits/{_subreddit}/timeseries?interval=hour&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}");

        var points = series.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(3, points.Sum(p => p.GetProperty("sentiment").GetProperty("count").GetInt64()));
    }

    [Theory]
    [InlineData("/api/v1/posts?limit=1000", "limit")]
    [InlineData("/api/v1/posts?sort=random", "sort")]
    [InlineData("/api/v1/subreddits/x/timeseries?interval=minute&from=2020-01-01T00:00:00Z", "interval")]
    [InlineData("/api/v1/search?q=", "q")]
    public async Task Invalid_queries_get_a_validation_problem(string path, string field)
    {
        var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Ad_hoc_texts_are_scored_through_the_scorer()
    {
        var response = await _http.PostAsJsonAsync("/api/v1/sentiment/score", new { texts = new[] { "I love it", "I hate it" }, model = "fast" });

        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results");
        Assert.Equal(["positive", "negative"], results.EnumerateArray().Select(r => r.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task Admin_reports_queue_depths_and_counters()
    {
        var status = await _http.GetFromJsonAsync<JsonElement>("/api/v1/admin/queues");

        Assert.True(status.GetProperty("queues").TryGetProperty("reddit:posts:queue", out _));
        Assert.True(status.GetProperty("processedCount").GetInt64() >= 3);
    }

    public Task DisposeAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }
}
