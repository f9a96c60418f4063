using Collector.Ingestion;
using System.Text.Json;
using Collector.Ingestion.Reddit;
using Collector.Model;

namespace Collector.UnitTests.Reddit;

public sealed class ThingMapperTests
{
    private readonly ThingMapper _mapper = new();

    private MappingResult Map(string json, RedditItemKind kind)
    {
        using var document = JsonDocument.Parse(json);
        return _mapper.Map(document.RootElement, kind);
    }

    [Fact]
    public void Maps_a_post()
    {
        var result = Map("""
            {"id":"1abc2d","name":"t3_1abc2d","subreddit":"dotnet","author":"someone","title":"Hello & welcome",
             "selftext":"Body","created_utc":1767225600.0,"score":42,"permalink":"/r/dotnet/comments/1abc2d/hello/"}
            """, RedditItemKind.Post);

        Assert.Null(result.Reason);
        Assert.Equal(
            new RedditItem(RedditItemKind.Post, "1abc2d", "dotnet", "someone", "Hello & welcome", "Body",
                new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Score: 42, Permalink: "/r/dotnet/comments/1abc2d/hello/"),
            result.Item);
        Assert.Equal("t3_1abc2d", result.Item!.FullName);
    }

    [Fact]
    public void Maps_a_comment_with_its_parent_and_post()
    {
        var result = Map("""
            {"id":"k1","subreddit":"dotnet","author":"[deleted]","body":"[removed]","created_utc":"1767225600",
             "parent_id":"t1_k0","link_id":"t3_1abc2d","score":-3}
            """, RedditItemKind.Comment);

        var item = Assert.IsType<RedditItem>(result.Item);
        Assert.Equal("[deleted]", item.Author);
        Assert.Null(item.Title);
        Assert.Equal("t1_k0", item.ParentId);
        Assert.Equal("1abc2d", item.PostId);
        Assert.Equal(-3, item.Score);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), item.CreatedAt);
    }

    [Fact]
    public void Link_posts_get_an_empty_body_and_missing_authors_read_as_deleted()
    {
        var item = Map("""{"id":"1abc2e","subreddit":"dotnet","title":"A link","created_utc":1767225600}""", RedditItemKind.Post).Item!;

        Assert.Equal("", item.Body);
        Assert.Equal("[deleted]", item.Author);
        Assert.Null(item.Score);
    }

    [Theory]
    [InlineData("""{"subreddit":"dotnet","title":"t","created_utc":1}""", RedditItemKind.Post, "missing_id")]
    [InlineData("""{"id":"a-b","subreddit":"dotnet","title":"t","created_utc":1}""", RedditItemKind.Post, "invalid_id")]
    [InlineData("""{"id":"abc","title":"t","created_utc":1}""", RedditItemKind.Post, "missing_subreddit")]
    [InlineData("""{"id":"abc","subreddit":"dotnet","title":"t"}""", RedditItemKind.Post, "missing_created_utc")]
    [InlineData("""{"id":"abc","subreddit":"dotnet","title":"t","created_utc":"soon"}""", RedditItemKind.Post, "invalid_created_utc")]
    [InlineData("""{"id":"k1","subreddit":"dotnet","created_utc":1300000000}""", RedditItemKind.Comment, "missing_text")]
    public void Incomplete_things_never_become_valid_items(string json, RedditItemKind kind, string reason)
    {
        var mapped = Map(json, kind);
        var validator = new Collector.Validation.ItemValidator(
            Microsoft.Extensions.Options.Options.Create(new Collector.Validation.ValidationRules()), TimeProvider.System);

        var why = mapped.IsSuccess ? validator.Validate(mapped.Item).Reason : mapped.Reason;

        Assert.NotNull(why);
        Assert.StartsWith(reason, why);
    }
}
