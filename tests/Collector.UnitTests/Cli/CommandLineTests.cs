using Collector.Cli;
using Collector.UnitTests.Reddit;

namespace Collector.UnitTests.Cli;

/// <summary>
/// The Collector's command line as a user runs it, against the fake Reddit server: the settings the docs list
/// are enough, and every failure is one line and a documented exit code, never a stack trace.
/// </summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private FakeRedditServer _server = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("collector-cli-").FullName;

    public async Task InitializeAsync() => _server = await FakeRedditServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Exactly the settings docs/collector.md names for fetch, pointed at the fake server.</summary>
    private Dictionary<string, string?> DocumentedSettings(string? clientSecret = null) => new()
    {
        ["Reddit:ClientId"] = FakeRedditServer.ClientId,
        ["Reddit:ClientSecret"] = clientSecret ?? FakeRedditServer.ClientSecret,
        ["Reddit:AppId"] = "com.example.sentiment",
        ["Reddit:RedditUser"] = "sentiment_dev",
        ["Reddit:ApiBaseUrl"] = _server.BaseUrl.ToString(),
        ["Reddit:AuthBaseUrl"] = _server.BaseUrl.ToString(),
    };

    private async Task<(int Exit, string Output, string Errors)> RunAsync(Dictionary<string, string?>? settings, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await CollectorCommandLine.RunAsync(args, settings, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    private string[] Fetch(string output) => ["fetch", "--subreddit", "dotnet", "--kind", "posts", "--limit", "5", "--output", output];

    [Fact]
    public async Task Fetch_works_with_the_documented_settings_alone()
    {
        _server.AddPosts("dotnet", 3);
        var file = Path.Combine(_folder, "dotnet.ndjson");

        var (exit, output, errors) = await RunAsync(DocumentedSettings(), Fetch(file));

        Assert.True(exit == 0, errors);
        Assert.Equal(3, File.ReadAllLines(file).Length);
        Assert.Contains("3 posts of r/dotnet written", output);
    }

    public static TheoryData<string, string> Failures => new()
    {
        { "bad-secret", "401" },
        { "quarantined", "reason: quarantined: This community is quarantined" },
        { "outage-page", "is not a listing" },
        { "unwritable", "/no/such/folder/out.ndjson" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_fetch_failure_is_one_line_and_exit_code_1(string failure, string expected)
    {
        _server.AddPosts("dotnet", 3);
        var file = Path.Combine(_folder, "out.ndjson");
        var settings = DocumentedSettings(failure == "bad-secret" ? "wrong" : null);
        switch (failure)
        {
            case "quarantined":
                _server.Enqueue(FakeFault.Raw(403, """{"reason": "quarantined", "quarantine_message": "This community is quarantined", "message": "Forbidden", "error": 403}"""));
                break;
            case "outage-page":
                _server.Enqueue(FakeFault.Raw(200, "<html><body>We'll be back soon</body></html>", "text/html"));
                break;
            case "unwritable":
                file = "/no/such/folder/out.ndjson";
                break;
        }

        var (exit, _, errors) = await RunAsync(settings, Fetch(file));

        Assert.Equal(CollectorCommandLine.Failed, exit);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain(" at ", line);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace()
    {
        _server.Enqueue(FakeFault.Raw(403, """{"reason": "private", "message": "Forbidden", "error": 403}"""));
        _server.AddPosts("dotnet", 1);

        var (exit, _, errors) = await RunAsync(DocumentedSettings(), [.. Fetch(Path.Combine(_folder, "x.ndjson")), "--verbose"]);

        Assert.Equal(CollectorCommandLine.Failed, exit);
        Assert.Contains("reason: private", errors);
        Assert.Contains(" at ", errors);
    }

    [Fact]
    public async Task Fetch_reads_the_top_listing_of_a_period_for_backfills()
    {
        _server.AddPosts("dotnet", 30);
        var file = Path.Combine(_folder, "top.ndjson");

        var (exit, output, errors) = await RunAsync(DocumentedSettings(),
            ["fetch", "--subreddit", "dotnet", "--kind", "posts", "--sort", "top", "--time", "week", "--limit", "10", "--output", file]);

        Assert.True(exit == 0, errors);
        var request = Assert.Single(_server.ApiRequests);
        Assert.Equal("/r/dotnet/top", request.Path);
        Assert.Equal("week", request.Query["t"]);
        var scores = File.ReadAllLines(file).Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("score").GetInt32()).ToList();
        Assert.Equal(10, scores.Count);
        Assert.Equal(scores.OrderByDescending(score => score), scores); // Reddit's order, not the newest first
        Assert.Contains("10 posts of r/dotnet written", output);
    }

    [Fact]
    public async Task Fetch_thread_writes_the_post_and_every_comment_of_its_tree()
    {
        var post = _server.AddPosts("dotnet", 1)[0];
        _server.ThreadInlineLimit = 3;
        var comments = _server.AddThreadComments("dotnet", post, [-1, 0, 1, -1, -1, 3, -1]);
        var file = Path.Combine(_folder, "thread.ndjson");

        var (exit, output, errors) = await RunAsync(DocumentedSettings(), ["fetch-thread", "--post", post, "--output", file]);

        Assert.True(exit == 0, errors);
        var names = File.ReadAllLines(file).Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("name").GetString()!).ToList();
        Assert.Equal([post, .. comments.Order()], [names[0], .. names.Skip(1).Order()]);
        Assert.Contains($"1 post and {comments.Count} comments of {post} written", output);
    }

    [Theory]
    [InlineData("fetch --subreddit dotnet --kind comments --sort top --limit 5 --output x.ndjson", "--sort applies to posts")]
    [InlineData("fetch --subreddit dotnet --kind posts --time week --limit 5 --output x.ndjson", "--time applies to --sort top")]
    [InlineData("fetch --subreddit dotnet --kind posts --sort best --limit 5 --output x.ndjson", "best")]
    [InlineData("fetch-thread --post not-an-id! --output x.ndjson", "is not a post id")]
    [InlineData("fetch --kind posts --limit 5 --output x.ndjson", "--subreddit")]
    [InlineData("fetch --subreddit dotnet --kind videos --limit 5 --output x.ndjson", "videos")]
    [InlineData("fetch --subreddit dotnet --kind posts --limit 0 --output x.ndjson", "--limit")]
    [InlineData("ingest", "PATH")]
    [InlineData("ingest /no/such/dump.ndjson", "No such file or folder")]
    public async Task Usage_errors_exit_with_2_saying_what_is_wrong(string commandLine, string expected)
    {
        var (exit, _, errors) = await RunAsync(DocumentedSettings(), commandLine.Split(' '));

        Assert.Equal(CollectorCommandLine.Usage, exit);
        Assert.Contains(expected, errors);
        Assert.DoesNotContain(" at ", errors);
    }

    [Fact]
    public async Task Fetch_without_reddit_settings_is_a_usage_error()
    {
        var (exit, _, errors) = await RunAsync(new Dictionary<string, string?> { ["Reddit:ClientId"] = "" }, Fetch(Path.Combine(_folder, "x.ndjson")));

        Assert.Equal(CollectorCommandLine.Usage, exit);
        Assert.Contains("Reddit__ClientId", errors);
    }

    [Fact]
    public async Task Ingest_with_redis_unreachable_fails_in_one_line()
    {
        var dump = Path.Combine(_folder, "RC_x.ndjson");
        await File.WriteAllTextAsync(dump, """{"id":"c1","body":"hi","subreddit":"a","created_utc":1200000000}""" + "\n");
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        var (exit, _, errors) = await RunAsync(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.Redis}"] = $"127.0.0.1:{closedPort},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000",
            [$"ConnectionStrings:{ResourceNames.Database}"] = "Host=unused",
        }, "ingest", dump);

        Assert.Equal(CollectorCommandLine.Failed, exit);
        Assert.Contains("Redis is not reachable", errors);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.DoesNotContain(" at ", errors);
    }
}
