using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Collector.Model;
using Collector.Queues;
using Microsoft.Playwright;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>
/// The dashboard in a real browser: Debian's Chromium driven by Playwright against the test app's Gateway, over
/// items the test loads through the Collector's path. It signs in, sees its data charted, changes the range and
/// interval, drills into a post, searches, sees the alert a shift raised, fits a phone's width, and shows the empty
/// state's hint. The screenshots it takes are the ones docs/dashboard.md shows (docs/images/).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DashboardTests(PlatformFixture platform) : IAsyncLifetime
{
    /// <summary>Debian's browser: Playwright's own download is not reachable here (scripts/setup installs it).</summary>
    private const string Chromium = "/usr/bin/chromium";

    private static readonly DateTimeOffset Day = new(2025, 3, 10, 0, 0, 0, TimeSpan.Zero);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private string Subreddit => $"dash{_run}";

    private static string Screenshots => Path.Combine(Repository.Root, "docs", "images");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        // The flags keep Chromium off the network (closed here: it would retry Google's hosts) and out of a sandbox
        // it cannot have as root in a container.
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    [Fact]
    public async Task A_signed_in_user_sees_the_data_charted_changes_the_range_drills_in_searches_and_sees_an_alert()
    {
        var keywordId = await SeedAsync();
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(platform.App.GetEndpoint(ResourceNames.Gateway, "http").ToString());

        // Sign in as the admin: the pipeline and the keyword form show.
        await page.FillAsync("#user", PlatformClients.AdminUserName);
        await page.FillAsync("#password", platform.Identity.AdminPassword);
        await page.ClickAsync("#login button");
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync(PlatformClients.AdminUserName);
        await Assertions.Expect(page.Locator("#pipeline")).ToBeVisibleAsync();

        // The loaded days, by a custom range: only this test's subreddit is in it, charted by day.
        await page.ClickAsync("[data-range=custom]");
        await page.FillAsync("#from", "2025-03-09T00:00");
        await page.FillAsync("#to", "2025-03-14T00:00");
        await page.ClickAsync("#apply-range");
        var row = page.Locator($"#subreddits tr[data-subreddit={Subreddit}]");
        await Assertions.Expect(row).ToContainTextAsync($"r/{Subreddit}");
        await Assertions.Expect(page.Locator("#subreddits tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#series-title")).ToHaveTextAsync($"r/{Subreddit}");
        await Assertions.Expect(page.Locator("#series-chart-box")).ToHaveAttributeAsync("data-points", "3");
        await Assertions.Expect(page.Locator("#confidence")).ToContainTextAsync("9 items");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "dashboard.png"), FullPage = true });

        // By hour instead: one point per hour that has items.
        await page.SelectOptionAsync("#interval", "hour");
        await Assertions.Expect(page.Locator("#range-label")).ToContainTextAsync("by hour");
        await Assertions.Expect(page.Locator("#series-chart-box")).ToHaveAttributeAsync("data-points", "7");

        // Drill into the negative post: its text and its comments with their labels.
        await page.ClickAsync("#top-negative a");
        await Assertions.Expect(page.Locator("#post-title")).ToHaveTextAsync("Terrible support, they refused my refund");
        await Assertions.Expect(page.Locator("#post-comments li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#post-comment-summary")).ToContainTextAsync("2 ·");

        // Search within the range, with its trend.
        await page.FillAsync("#q", "refund");
        await page.ClickAsync("#search-form button");
        await Assertions.Expect(page.Locator("#search-summary")).ToContainTextAsync("\"refund\": 1 posts, 1 comments");
        await Assertions.Expect(page.Locator("#search-posts a")).ToHaveTextAsync("Terrible support, they refused my refund");

        // The last 24 hours: the shift the test made in its tracked keyword shows as an alert.
        await page.ClickAsync("[data-range='24h']");
        await Assertions.Expect(page.Locator("#range-label")).Not.ToContainTextAsync("2025-03-09");
        var alert = page.Locator("#alerts li.sentiment_drop", new() { HasTextString = $"r/dashkw{_run}" });
        await Assertions.Expect(alert).ToContainTextAsync("\"battery life\"");
        await Assertions.Expect(page.Locator("#keywords tr", new() { HasTextString = $"r/dashkw{_run}" })).ToContainTextAsync("battery life");
        await page.Locator("#keywords tr", new() { HasTextString = $"r/dashkw{_run}" }).ClickAsync();
        await Assertions.Expect(page.Locator("#keyword-chart-box")).Not.ToHaveAttributeAsync("data-points", "0");
        await page.Locator("#alerts").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "dashboard-alerts.png"), FullPage = true });

        // A phone's width: one column, nothing wider than the screen.
        await page.SetViewportSizeAsync(390, 844);
        // The charts follow the new width once their resize observers have run. (Playwright's WaitForFunction polls
        // with eval, which the page's Content-Security-Policy rightly refuses; EvaluateAsync goes through DevTools.)
        Assert.True(await Eventually.HoldsAsync(async _ => await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390,
            TimeSpan.FromSeconds(10)), $"the page is {await page.EvaluateAsync<int>("document.documentElement.scrollWidth")} px wide on a 390 px screen");

        await Assertions.Expect(page.Locator("#series-chart-box")).ToBeVisibleAsync();
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "dashboard-narrow.png") });

        // A range with nothing in it says how to load data and offers a range that shows it.
        await page.SetViewportSizeAsync(1280, 900);
        await page.ClickAsync("[data-range=custom]");
        await page.FillAsync("#from", "2001-01-01T00:00");
        await page.FillAsync("#to", "2001-01-02T00:00");
        await page.ClickAsync("#apply-range");
        await Assertions.Expect(page.Locator("#empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#empty")).ToContainTextAsync("./scripts/collector ingest");
        await page.ClickAsync("#show-all");
        await Assertions.Expect(page.Locator("#empty")).ToBeHiddenAsync();

        using var admin = await platform.GatewayClientAsync(Caller.Admin);
        await admin.DeleteAsync($"/api/v1/admin/keywords/{keywordId}");
    }

    /// <summary>
    /// Nine items on three days of March 2025 (one negative post with two comments), and a tracked keyword whose
    /// mentions turn negative in the last hour after two days of praise; all through the queues and the workers.
    /// </summary>
    private async Task<int> SeedAsync()
    {
        QueueEnvelope Item(RedditItemKind kind, string id, string subreddit, string? title, string body, DateTimeOffset created, string? postId = null) => new()
        {
            Item = new RedditItem(kind, id, subreddit, "tester", title, body, created, postId is null ? null : $"t3_{postId}", postId),
            Source = "test",
            EnqueuedAt = DateTimeOffset.UtcNow,
        };

        var s = Subreddit;
        QueueEnvelope[] history =
        [
            Item(RedditItemKind.Post, $"{s}p1", s, "Terrible support, they refused my refund", "Worst service ever, I am furious.", Day.AddHours(9)),
            Item(RedditItemKind.Comment, $"{s}c1", s, null, "Same here, no refund for weeks, awful", Day.AddHours(10), $"{s}p1"),
            Item(RedditItemKind.Comment, $"{s}c2", s, null, "That is really bad, sorry to hear it", Day.AddHours(11), $"{s}p1"),
            Item(RedditItemKind.Post, $"{s}p2", s, "I love the new update, wonderful work", "Great job team!", Day.AddDays(1).AddHours(8)),
            Item(RedditItemKind.Comment, $"{s}c3", s, null, "Agreed, it is fantastic", Day.AddDays(1).AddHours(8).AddMinutes(30), $"{s}p2"),
            Item(RedditItemKind.Post, $"{s}p3", s, "Meeting notes for Tuesday", "The agenda is attached.", Day.AddDays(2).AddHours(14)),
            Item(RedditItemKind.Comment, $"{s}c4", s, null, "Thanks for sharing, very helpful", Day.AddDays(2).AddHours(15), $"{s}p3"),
            Item(RedditItemKind.Comment, $"{s}c5", s, null, "Happy to help, great summary", Day.AddDays(2).AddHours(15).AddMinutes(20), $"{s}p3"),
            Item(RedditItemKind.Comment, $"{s}c6", s, null, "Is the meeting at noon?", Day.AddDays(2).AddHours(16), $"{s}p3"),
        ];

        using var admin = await platform.GatewayClientAsync(Caller.Admin);
        var keywordSubreddit = $"dashkw{_run}";
        var response = await admin.PostAsJsonAsync("/api/v1/admin/keywords", new { phrase = "battery life", subreddit = keywordSubreddit });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var keywordId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var now = DateTimeOffset.UtcNow;
        var mentions = Enumerable.Range(0, 48)
            .Select(i => Item(RedditItemKind.Comment, $"{keywordSubreddit}b{i}", keywordSubreddit, null, "The battery life is wonderful, I love this phone", now.AddHours(-4 - i)))
            .Concat(Enumerable.Range(0, 25).Select(i => Item(RedditItemKind.Comment, $"{keywordSubreddit}n{i}", keywordSubreddit, null,
                "The battery life is terrible since the update, I hate it", now.AddMinutes(-2 - 2 * i))));

        await using var redis = await ConnectionMultiplexer.ConnectAsync((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!);
        var db = redis.GetDatabase();
        var all = history.Concat(mentions).ToList();
        await db.ListLeftPushAsync(RedisKeys.PostsQueue, all.Where(e => e.Item!.Kind == RedditItemKind.Post).Select(e => (RedisValue)e.Serialize()).ToArray());
        await db.ListLeftPushAsync(RedisKeys.CommentsQueue, all.Where(e => e.Item!.Kind == RedditItemKind.Comment).Select(e => (RedisValue)e.Serialize()).ToArray());

        await using var database = Npgsql.NpgsqlDataSource.Create((await platform.App.GetConnectionStringAsync(ResourceNames.Database))!);
        Assert.True(await Eventually.HoldsAsync(async _ =>
        {
            await using var command = database.CreateCommand(
                "SELECT (SELECT count(*) FROM reddit_posts WHERE subreddit = @s) + (SELECT count(*) FROM reddit_comments WHERE subreddit = ANY(@both))");
            command.Parameters.AddWithValue("s", s);
            command.Parameters.AddWithValue("both", new[] { s, keywordSubreddit });
            return (long)(await command.ExecuteScalarAsync())! == all.Count;
        }, TimeSpan.FromMinutes(2)), "the dashboard's items were not stored");
        Assert.True(await Eventually.HoldsAsync(async ct =>
            (await admin.GetStringAsync($"/api/v1/alerts?keyword={keywordId}", ct)).Contains("sentiment_drop", StringComparison.Ordinal),
            TimeSpan.FromMinutes(1)), "the keyword's shift raised no alert");
        return keywordId;
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
