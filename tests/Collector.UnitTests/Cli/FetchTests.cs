using System.Text;
using System.Text.Json;
using Collector.Cli;
using Collector.Ingestion;
using Collector.UnitTests.Reddit;
using FakeFault = Collector.UnitTests.Reddit.FakeFault;

namespace Collector.UnitTests.Cli;

/// <summary>The <c>fetch</c> command's output against the fake server, read back as <c>ingest</c> reads it.</summary>
public sealed class FetchTests : IAsyncLifetime
{
    private FakeRedditServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeRedditServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_child_that_did_not_map_is_written_as_reddit_sent_it_and_reported()
    {
        var posts = _server.AddPosts("dotnet", 3);
        _server.SetField(posts[1], "created_utc", "yesterday");
        await using var host = RedditTestHost.Create(_server.BaseUrl);
        using var output = new MemoryStream();
        await using var errors = new StringWriter();

        var result = await ListingWriter.WriteAsync(host.Client, "/r/dotnet/new", limit: 10, output, errors, CancellationToken.None);

        Assert.Equal((3, 1), (result.Written, result.Unmapped));
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var readBack = lines.Select(line => RedditJsonMapper.Map(line)).ToList();
        Assert.Equal([posts[2], null, posts[0]], readBack.Select(result => result.Item?.FullName));
        Assert.Equal("invalid_created_utc: \"yesterday\"", readBack[1].Reason);
        using (var line = JsonDocument.Parse(lines[1]))
        {
            Assert.Equal(posts[1], line.RootElement.GetProperty("name").GetString());
            Assert.Equal("dotnet", line.RootElement.GetProperty("subreddit").GetString());
        }

        Assert.Equal($"{posts[1]} did not map: invalid_created_utc: \"yesterday\"{Environment.NewLine}", errors.ToString());
    }

    [Fact]
    public async Task A_page_that_points_back_ends_paging_and_repeated_children_are_written_once()
    {
        _server.AddSubreddit("dotnet");
        var page = Listing(after: "t3_b", "t3_a", "t3_b");
        _server.Enqueue(FakeFault.Raw(200, page), FakeFault.Raw(200, Listing(after: "t3_b", "t3_b", "t3_c")));
        await using var host = RedditTestHost.Create(_server.BaseUrl);
        using var output = new MemoryStream();

        var result = await ListingWriter.WriteAsync(host.Client, "/r/dotnet/new", limit: 300, output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(3, result.Written);
        Assert.Equal(1, result.Duplicates);
        Assert.Contains("already read", result.EndedEarly);
        Assert.Equal(2, _server.ApiRequests.Count);
    }

    [Fact]
    public async Task An_empty_page_that_still_points_further_ends_paging()
    {
        _server.AddSubreddit("dotnet");
        _server.Enqueue(FakeFault.Raw(200, Listing(after: "t3_z")));
        await using var host = RedditTestHost.Create(_server.BaseUrl);

        var result = await ListingWriter.WriteAsync(host.Client, "/r/dotnet/new", limit: 300, Stream.Null, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, result.Written);
        Assert.Contains("empty page", result.EndedEarly);
        Assert.Single(_server.ApiRequests);
    }

    /// <summary>A listing of minimal posts in Reddit's shape.</summary>
    internal static string Listing(string? after, params string[] fullnames) => JsonSerializer.Serialize(new
    {
        kind = "Listing",
        data = new
        {
            after,
            before = (string?)null,
            children = fullnames.Select(name => new
            {
                kind = "t3",
                data = new
                {
                    id = name[3..], name, subreddit = "dotnet", author = "someone", title = $"post {name}", selftext = "body",
                    created_utc = 1_733_000_000.0, score = 1, permalink = $"/r/dotnet/comments/{name[3..]}/",
                },
            }),
        },
    });
}
