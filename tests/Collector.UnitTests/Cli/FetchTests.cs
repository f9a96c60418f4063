using System.Text;
using System.Text.Json;
using Collector.Cli;
using Collector.Ingestion;
using Collector.UnitTests.Reddit;

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

        var (written, unmapped) = await CollectorCommands.WriteListingAsync(
            host.Client, "/r/dotnet/new", limit: 10, output, errors, CancellationToken.None);

        Assert.Equal((3, 1), (written, unmapped));
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
}
