using Collector.Storage;

namespace Collector.UnitTests.Storage;

public sealed class StorableTextTests
{
    // Built at run time: an attribute's strings are stored as UTF-8, which cannot carry a lone surrogate.
    private const char High = '\ud83d';
    private const char Low = '\ude02';

    [Theory]
    [InlineData("plain text")]
    [InlineData("emoji stay whole 😂👍🏽")]
    [InlineData("")]
    public void A_storable_text_is_returned_as_it_is(string text) =>
        Assert.Same(text, StorableText.Clean(text));

    [Theory]
    [InlineData("nice\0 one", "nice one")]
    [InlineData("\0\0", "")]
    public void Nul_is_dropped(string text, string expected) =>
        Assert.Equal(expected, StorableText.Clean(text));

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character_and_pairs_stay()
    {
        Assert.Equal("lone \ufffd high", StorableText.Clean($"lone {High} high"));
        Assert.Equal("lone \ufffd low", StorableText.Clean($"lone {Low} low"));
        Assert.Equal("ends high \ufffd", StorableText.Clean($"ends high {High}"));
        Assert.Equal("swapped \ufffd\ufffd", StorableText.Clean($"swapped {Low}{High}"));
        Assert.Equal("pair 😂 and  and \ufffd", StorableText.Clean($"pair {High}{Low} and \0 and {Low}"));
    }
}
