using Collector.Infrastructure;
using Collector.Model;

namespace Collector.UnitTests;

public sealed class RedditItemTests
{
    private static RedditItem Post(string? title, string body) =>
        new(RedditItemKind.Post, "p1", "pics", "a", title, body, DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_posts_scored_text_is_its_title_and_body()
    {
        Assert.Equal("Title\n\nBody", Post("Title", "Body").ScoredText);
    }

    [Fact]
    public void A_link_post_is_scored_on_its_title()
    {
        Assert.Equal("Title", Post("Title", "").ScoredText);
    }

    [Fact]
    public void Fullnames_carry_the_kind_prefix()
    {
        Assert.Equal("t3_p1", Post("t", "b").FullName);
        Assert.Equal("t1_c1", new RedditItem(RedditItemKind.Comment, "c1", "pics", "a", null, "b", DateTimeOffset.UnixEpoch).FullName);
    }

    [Theory]
    [InlineData("text_too_long: 52311 > 40000", "text_too_long")]
    [InlineData("malformed_entry", "malformed_entry")]
    public void Metrics_count_reasons_by_code(string reason, string code)
    {
        Assert.Equal(code, CollectorTelemetry.ReasonCode(reason));
    }
}
