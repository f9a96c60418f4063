using Scorer.Models;
using Scorer.Models.Accurate;
using Scorer.Models.Fast;
using Scorer.Training;
using Scorer.UnitTests.Accurate.Support;

namespace Scorer.UnitTests.Accurate;

/// <summary>What a head is trained on is what the served graph feeds it.</summary>
[Collection(EncoderCollection.Name)]
public sealed class EncoderFeaturizerTests
{
    [Fact]
    public async Task Features_are_the_served_embedding_followed_by_vaders_scores()
    {
        var texts = Sentences.Varied;
        using var encoder = new OnnxSentenceEncoder(EncoderFixture.CpuOptions(), hiddenLayers: 4);
        var featurizer = new EncoderFeaturizer(encoder, batchSize: 3, lexicon: LexiconFeatures.CreateVader());
        Assert.Equal(new EncoderInfo("all-MiniLM-L6-v2", PoolingMode.Mean, true, 384, LexiconFeatures.Vader, HiddenLayers: 4), featurizer.Encoder);

        var features = await featurizer.FeaturizeAsync(texts, CancellationToken.None);
        Assert.Equal(388, features.Columns);

        var head = TestHeads.Random(5, EncoderCatalog.MiniLmL6V2, hiddenLayers: 4, lexicon: LexiconFeatures.Vader);
        using var model = OnnxSentimentModel.Create(EncoderFixture.CpuOptions(), head);
        var served = new float[texts.Length * 384];
        model.Score(texts, new SentimentPrediction[texts.Length], served);

        var vader = new VaderAnalyzer(VaderLexicon.Embedded);
        for (var i = 0; i < texts.Length; i++)
        {
            var row = features.Row(i);
            for (var d = 0; d < 384; d++)
            {
                Assert.True(Math.Abs(row[d] - served[i * 384 + d]) <= 1e-4f, $"text {i} dimension {d}");
            }

            var scores = vader.PolarityScores(texts[i]);
            Assert.Equal([(float)scores.Negative, (float)scores.Neutral, (float)scores.Positive, (float)scores.Compound], row[384..].ToArray());
        }
    }
}
