using Collector.Ingestion.Dumps;
using Collector.Model;

namespace Collector.UnitTests.Dumps;

public sealed class DumpTextTests
{
    [Theory]
    [InlineData("&gt; a quote", "> a quote")]
    [InlineData("AT&amp;T &lt;3", "AT&T <3")]
    [InlineData("&amp;lt; typed as an entity", "&lt; typed as an entity")]
    [InlineData("&amp;amp;", "&amp;")]
    [InlineData("&quot;kept&quot; &nbsp; &#39; & alone &", "&quot;kept&quot; &nbsp; &#39; & alone &")]
    [InlineData("&gt", "&gt")]
    public void The_three_entities_reddit_writes_are_decoded_in_one_pass(string text, string expected) =>
        Assert.Equal(expected, DumpText.Decode(text));

    [Fact]
    public void An_item_without_entities_is_returned_as_it_is_and_titles_are_decoded_too()
    {
        var plain = new RedditItem(RedditItemKind.Post, "p1", "a", "u", "plain title", "plain body", DateTimeOffset.UnixEpoch);
        var escaped = plain with { Title = "Q&amp;A", Body = "1 &lt; 2" };

        Assert.Same(plain, DumpText.Decode(plain));
        Assert.Equal(("Q&A", "1 < 2"), (DumpText.Decode(escaped).Title, DumpText.Decode(escaped).Body));
    }
}
