using ModelTools.Preparation;
using Scorer.Models;

namespace ModelTools.UnitTests;

public sealed class PreparationTests
{
    private static LabeledText Review(string text, Sentiment label = Sentiment.Positive) => new(text, label, TextDomain.Reviews);

    [Fact]
    public void Review_phrases_nested_in_or_around_a_dev_phrase_leave_training()
    {
        var sentence = "a gorgeous , witty , seductive movie that never once loses its way";
        var reviews = new List<LabeledText>
        {
            Review(sentence),
            Review("witty , seductive movie"), // inside the dev sentence
            Review($"{sentence} , and it is a joy"), // contains it
            Review("seductive moviegoers"), // shares words, not a sub-phrase
            Review("dull", Sentiment.Negative),
        };

        var (train, dev, removed) = SentimentCorpus.SplitReviews(reviews, seed: 1, devRows: 1);

        // Either long phrase may be drawn; the other is nested in it or around it, and so is the short one.
        Assert.Contains(Assert.Single(dev).Text, new[] { sentence, $"{sentence} , and it is a joy" });
        Assert.Equal(["seductive moviegoers", "dull"], train.Select(r => r.Text));
        Assert.Equal(2, removed);
    }

    [Fact]
    public void Tweet_splits_are_the_same_for_a_seed_and_disjoint()
    {
        List<LabeledText> Tweets() => Enumerable.Range(0, 100).Select(i => new LabeledText($"tweet {i}", (Sentiment)(i % 3), TextDomain.Tweets)).ToList();

        var (train, dev) = SentimentCorpus.SplitTweets(Tweets(), seed: 7);
        var (_, again) = SentimentCorpus.SplitTweets(Tweets(), seed: 7);
        var (_, other) = SentimentCorpus.SplitTweets(Tweets(), seed: 8);

        Assert.Equal(10, dev.Length);
        Assert.Equal(dev, again);
        Assert.NotEqual(dev, other);
        Assert.Empty(train.Intersect(dev));
        Assert.Equal(100, train.Count + dev.Length);
    }

    [Fact]
    public void Npy_files_carry_dtype_shape_and_aligned_data()
    {
        var path = Path.GetTempFileName();
        try
        {
            NpyWriter.Write(path, [1.5f, -2f, 3f, 4f, 5f, 6f], 2, 3);
            var bytes = File.ReadAllBytes(path);
            var headerLength = BitConverter.ToUInt16(bytes, 8);
            var header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);

            Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
            Assert.Equal(0, (10 + headerLength) % 64);
            Assert.Contains("'descr': '<f4'", header);
            Assert.Contains("'shape': (2, 3)", header);
            Assert.EndsWith("\n", header);
            Assert.Equal(1.5f, BitConverter.ToSingle(bytes, 10 + headerLength));
            Assert.Equal(6 * 4, bytes.Length - 10 - headerLength);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_shape_that_does_not_hold_the_values_is_refused() =>
        Assert.Throws<ArgumentException>(() => NpyWriter.Write(Path.Combine(Path.GetTempPath(), "never.npy"), [1, 2, 3], 2, 2));
}
