using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Collector.Model;
using Collector.Queues;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>
/// Tracked keywords end to end: an admin registers a phrase (its rollups filled from items stored before), the
/// workers' storage keeps counting mentions, the trend reads them per hour, and a shift raises an alert in the API
/// and the metrics; bad phrases, duplicates and readers are refused with a reason.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class KeywordTests(PlatformFixture platform) : IAsyncLifetime
{
    private readonly string _subreddit = $"kw{Guid.NewGuid().ToString("N")[..8]}";
    private HttpClient _admin = null!;
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        _admin = await platform.GatewayClientAsync(Caller.Admin);
        _redis = await ConnectionMultiplexer.ConnectAsync((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!);
    }

    [Fact]
    public async Task A_tracked_phrase_counts_mentions_stored_before_and_after_it_was_registered()
    {
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-5);
        // Two mentions before registering (one in another hour), one text without the phrase in order.
        await StoreAsync(
            Comment("b1", "The new graphics card is wonderful, I love it", hour.AddMinutes(10)),
            Comment("b2", "graphics card prices are awful and I hate this", hour.AddHours(1).AddMinutes(5)),
            Comment("b3", "a card with great graphics", hour.AddMinutes(20)));

        var response = await _admin.PostAsJsonAsync("/api/v1/admin/keywords", new { phrase = "graphics card", subreddit = _subreddit });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        await StoreAsync(Comment("a1", "Graphics cards are finally cheap again, great news", hour.AddHours(1).AddMinutes(30)));

        var trend = await _admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/keywords/{id}/trend?from={hour.AddHours(-1):O}&to={hour.AddHours(3):O}&interval=hour".Replace("+", "%2B"));
        var points = trend.GetProperty("points").EnumerateArray()
            .ToDictionary(p => p.GetProperty("bucket").GetDateTimeOffset(), p => p.GetProperty("sentiment"));
        Assert.Equal([hour, hour.AddHours(1)], points.Keys.Order());
        Assert.Equal(1, points[hour].GetProperty("count").GetInt64());
        Assert.Equal(1, points[hour].GetProperty("positive").GetInt64());
        Assert.Equal(2, points[hour.AddHours(1)].GetProperty("count").GetInt64());
        Assert.Equal("graphics card", trend.GetProperty("keyword").GetProperty("phrase").GetString());

        var listed = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/keywords");
        Assert.Contains(listed.EnumerateArray(), k => k.GetProperty("id").GetInt32() == id && k.GetProperty("subreddit").GetString() == _subreddit);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/v1/admin/keywords/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync($"/api/v1/admin/keywords/{id}")).StatusCode);
    }

    [Fact]
    public async Task Phrases_without_a_searchable_word_duplicates_and_readers_are_refused_with_a_reason()
    {
        var stopWords = await _admin.PostAsJsonAsync("/api/v1/admin/keywords", new { phrase = "the of and", subreddit = _subreddit });
        Assert.Equal(HttpStatusCode.BadRequest, stopWords.StatusCode);
        Assert.Contains("no searchable word", await stopWords.Content.ReadAsStringAsync());

        var tooLong = await _admin.PostAsJsonAsync("/api/v1/admin/keywords", new { phrase = new string('x', 101) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);

        var first = await _admin.PostAsJsonAsync("/api/v1/admin/keywords", new { phrase = "rollup duplicate", subreddit = _subreddit });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await _admin.PostAsJsonAsync("/api/v1/admin/keywords", new { phrase = "rollup duplicate", subreddit = _subreddit });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("tracked already", await again.Content.ReadAsStringAsync());

        using var reader = await platform.GatewayClientAsync(Caller.Reader);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/admin/keywords", new { phrase = "anything" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await reader.GetAsync("/api/v1/keywords/1/trend?interval=minute")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/v1/keywords/2000000000/trend")).StatusCode);

        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await _admin.DeleteAsync($"/api/v1/admin/keywords/{id}");
    }

    [Fact]
    public async Task A_keyword_that_turns_negative_raises_an_alert_in_the_api_and_the_metrics()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/admin/keywords", new { phrase = "stellar blade", subreddit = _subreddit });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        // Two days of praise, an hour apart, before the window; then a burst of complaints in the last hour.
        var now = DateTimeOffset.UtcNow;
        var baseline = Enumerable.Range(0, 48).Select(i =>
            Comment($"base{i}", "Stellar Blade is wonderful, I love it so much", now.AddHours(-4 - i)));
        var burst = Enumerable.Range(0, 25).Select(i =>
            Comment($"burst{i}", "Stellar Blade is terrible, I hate this awful broken game", now.AddMinutes(-2 - 2 * i)));
        await StoreAsync([.. baseline, .. burst]);

        // The fixture evaluates every second (Gateway__Alerts__Interval).
        JsonElement alert = default;
        Assert.True(await Eventually.HoldsAsync(async ct =>
        {
            var alerts = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?keyword={id}", ct);
            alert = alerts.EnumerateArray().FirstOrDefault(a => a.GetProperty("kind").GetString() == "sentiment_drop");
            return alert.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromMinutes(1)), "no sentiment_drop was raised");
        Assert.True(alert.GetProperty("zScore").GetDouble() <= -3);
        Assert.Equal(25, alert.GetProperty("windowItems").GetInt64());
        Assert.True(alert.GetProperty("windowValue").GetDouble() < 0 && alert.GetProperty("baselineValue").GetDouble() > 0.5);
        Assert.Equal("stellar blade", alert.GetProperty("keyword").GetProperty("phrase").GetString());

        using var metrics = platform.App.CreateHttpClient(ResourceNames.Gateway, "http");
        var lines = (await metrics.GetStringAsync("/metrics")).Split('\n');
        var keyword = $"keyword=\"stellar blade (r/{_subreddit})\"";
        Assert.Contains(lines, l => l.StartsWith("sentiment_keyword_shift_zscore{", StringComparison.Ordinal) && l.Contains(keyword) && l.Contains("test=\"sentiment\""));
        Assert.Contains(lines, l => l.StartsWith("sentiment_keyword_alerts_total{", StringComparison.Ordinal) && l.Contains(keyword) && l.Contains("kind=\"sentiment_drop\""));

        await _admin.DeleteAsync($"/api/v1/admin/keywords/{id}");
    }

    private QueueEnvelope Comment(string id, string text, DateTimeOffset created) =>
        TestItems.Envelope(RedditItemKind.Comment, $"{_subreddit}{id}", text, _subreddit, created);

    private async Task StoreAsync(params QueueEnvelope[] entries)
    {
        await _redis.GetDatabase().ListLeftPushAsync(RedisKeys.CommentsQueue, entries.Select(e => (RedisValue)e.Serialize()).ToArray());
        var ids = entries.Select(e => e.Item!.Id).ToArray();
        await using var database = Npgsql.NpgsqlDataSource.Create((await platform.App.GetConnectionStringAsync(ResourceNames.Database))!);
        Assert.True(await Eventually.HoldsAsync(async _ =>
        {
            await using var command = database.CreateCommand("SELECT count(*) FROM reddit_comments WHERE id = ANY(@ids)");
            command.Parameters.AddWithValue("ids", ids);
            return (long)(await command.ExecuteScalarAsync())! == ids.Length;
        }, TimeSpan.FromMinutes(2)), "the comments were not stored");
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _redis.DisposeAsync();
    }
}
