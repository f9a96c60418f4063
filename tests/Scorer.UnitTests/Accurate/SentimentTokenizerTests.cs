using Scorer.UnitTests.Accurate.Support;
using Scorer.Models.Accurate;

namespace Scorer.UnitTests.Accurate;

[Collection(EncoderCollection.Name)]
public sealed class SentimentTokenizerTests(EncoderFixture encoders)
{
    // bert-base-uncased ids, which both encoders' vocabularies use.
    private const long Cls = 101, Sep = 102, Unk = 100, Pad = 0, Hello = 7592, World = 2088;

    private SentimentTokenizer Tokenizer => encoders.MiniLm.Tokenizer;

    private long[] Ids(string text)
    {
        var batch = Tokenizer.Encode([text]);
        return batch.InputIds[..batch.Lengths[0]];
    }

    [Fact]
    public void Vocabulary_with_crlf_line_ends_maps_words_to_their_ids()
    {
        Assert.Equal([Cls, Hello, World, Sep], Ids("Hello world"));
    }

    [Theory]
    [InlineData("hello\nworld")]
    [InlineData("hello\r\nworld")]
    [InlineData("hello\tworld")]
    [InlineData("hello\n\nworld\n")]
    public void Words_on_separate_lines_stay_separate(string text)
    {
        Assert.Equal([Cls, Hello, World, Sep], Ids(text));
    }

    [Theory]
    [InlineData("$")]
    [InlineData("€")]
    [InlineData("~")]
    [InlineData("+")]
    [InlineData("|")]
    public void Symbols_are_tokens_of_their_own(string symbol)
    {
        var ids = Ids($"hello {symbol} world");
        Assert.Equal(5, ids.Length);
        Assert.Equal([Cls, Hello], ids[..2]);
        Assert.Equal([World, Sep], ids[3..]);
        Assert.NotEqual(Unk, ids[2]);
    }

    [Theory]
    [InlineData("$")]
    [InlineData("~")]
    [InlineData("+")]
    [InlineData("|")]
    public void Ascii_symbols_split_off_a_word_they_touch(string symbol)
    {
        // BERT counts every non-alphanumeric ASCII character as punctuation.
        Assert.Equal(Ids($"hello {symbol} world"), Ids($"hello{symbol}world"));
    }

    [Fact]
    public void Non_ascii_symbols_inside_a_word_become_word_pieces()
    {
        // As in BERT: € is no punctuation, so "hello€world" is one word, cut into pieces, none lost.
        var ids = Ids("hello€world");
        Assert.Equal([Cls, Hello], ids[..2]);
        Assert.Equal(Sep, ids[^1]);
        Assert.Equal(5, ids.Length); // [CLS] hello ##€ ##world [SEP]
        Assert.DoesNotContain(Unk, ids);
    }

    [Theory]
    [InlineData("😀")]
    [InlineData("🎉")]
    [InlineData("👍🏽")]
    public void Emoji_are_unknown_tokens_never_dropped(string emoji)
    {
        var ids = Ids($"hello {emoji} world");
        Assert.Equal([Cls, Hello], ids[..2]);
        Assert.Equal([World, Sep], ids[^2..]);
        var middle = ids[2..^2];
        Assert.NotEmpty(middle);
        Assert.All(middle, id => Assert.NotEqual(Pad, id));
    }

    [Fact]
    public void Every_word_leaves_at_least_one_token()
    {
        const string text = "Prices: $5, €10 ~ approx 😀 so 🎉 great\nnext line";
        var words = text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var ids = Ids(text);
        Assert.True(ids.Length - 2 >= words.Length, $"{ids.Length - 2} tokens for {words.Length} words");
        Assert.Equal(ids.Length, Tokenizer.Cost(text));
    }

    [Fact]
    public void Batches_are_padded_to_the_longest_text_not_to_the_maximum()
    {
        var batch = Tokenizer.Encode(["hello", "hello world hello world"]);
        Assert.Equal(2, batch.Count);
        Assert.Equal(6, batch.SequenceLength);
        Assert.Equal([Cls, Hello, Sep, Pad, Pad, Pad], batch.InputIds[..6]);
        Assert.Equal([1L, 1, 1, 0, 0, 0], batch.AttentionMask[..6]);
        Assert.Equal([1L, 1, 1, 1, 1, 1], batch.AttentionMask[6..12]);
        Assert.All(batch.TokenTypeIds[..12], t => Assert.Equal(0, t));
        Assert.Equal([3, 6], batch.Lengths[..2]);
        Assert.Equal([false, false], batch.Truncated[..2]);
    }

    [Fact]
    public void A_reused_batch_is_rewritten_whole()
    {
        var batch = Tokenizer.Encode(["hello world hello world hello world", "hello"]);
        Tokenizer.Encode(["hello"], batch);
        Assert.Equal(1, batch.Count);
        Assert.Equal(3, batch.SequenceLength);
        Assert.Equal([Cls, Hello, Sep], batch.InputIds[..3]);
        Assert.Equal([1L, 1, 1], batch.AttentionMask[..3]);
    }

    [Fact]
    public void Very_long_text_is_cut_to_max_tokens_and_flagged()
    {
        var text = string.Concat(Enumerable.Repeat("unbelievably wonderful 😀 $ ", 20_000)) + string.Concat(Enumerable.Repeat("x", 100_000));
        var batch = Tokenizer.Encode([text, "hello"]);

        Assert.Equal(Tokenizer.MaxTokens, batch.SequenceLength);
        Assert.Equal([Tokenizer.MaxTokens, 3], batch.Lengths[..2]);
        Assert.Equal([true, false], batch.Truncated[..2]);
        Assert.Equal(Cls, batch.InputIds[0]);
        Assert.Equal(Sep, batch.InputIds[Tokenizer.MaxTokens - 1]);
        Assert.Equal(Tokenizer.MaxTokens, Tokenizer.Cost(text));
    }

    [Fact]
    public void Text_of_exactly_max_tokens_is_not_truncated_one_more_word_is()
    {
        var max = Tokenizer.MaxTokens;
        var fits = string.Join(' ', Enumerable.Repeat("hello", max - 2));
        var over = fits + " world";

        var batch = Tokenizer.Encode([fits, over]);
        Assert.Equal([max, max], batch.Lengths[..2]);
        Assert.Equal([false, true], batch.Truncated[..2]);
        Assert.Equal(Sep, batch.InputIds[max - 1]);
        Assert.Equal(Sep, batch.InputIds[2 * max - 1]);
        Assert.Equal(max, Tokenizer.Cost(fits));
        Assert.Equal(max, Tokenizer.Cost(over));
    }

    [Fact]
    public void Empty_and_whitespace_texts_are_cls_sep()
    {
        var batch = Tokenizer.Encode(["", "   \n "]);
        Assert.Equal([Cls, Sep, Cls, Sep], batch.InputIds[..4]);
        Assert.Equal(2, Tokenizer.Cost(""));
    }

    [Fact]
    public void Cost_is_the_token_count_and_safe_to_call_concurrently()
    {
        var texts = Sentences.Varied.Concat(Sentences.Varied.Select(s => s.ToUpperInvariant())).ToArray();
        var expected = texts.Select(t => Ids(t).Length).ToArray();
        var actual = new int[texts.Length * 50];
        Parallel.For(0, actual.Length, i => actual[i] = Tokenizer.Cost(texts[i % texts.Length]));
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % texts.Length], actual[i]);
        }
    }
}
