using Scorer.Models;
using Scorer.Models.Fast;

namespace Scorer.UnitTests;

public sealed class VaderSentimentModelTests
{
    private readonly VaderSentimentModel _model = new(new VaderAnalyzer(VaderLexicon.Embedded));

    [Theory]
    [InlineData(0.6, Sentiment.Positive, 0.6)]
    [InlineData(0.05, Sentiment.Positive, 0.05)]
    [InlineData(-0.7, Sentiment.Negative, 0.7)]
    [InlineData(0.0, Sentiment.Neutral, 1.0)]
    [InlineData(0.025, Sentiment.Neutral, 0.5)]
    public void Compound_sets_label_and_confidence(double compound, Sentiment label, double confidence)
    {
        var prediction = VaderSentimentModel.ToPrediction(new VaderScores(0.2, 0.5, 0.3, compound));

        Assert.Equal(label, prediction.Label);
        Assert.Equal(confidence, prediction.Confidence, 5);
        Assert.Equal((float)compound, prediction.Score);
        Assert.Equal(1f, prediction.Negative + prediction.Neutral + prediction.Positive, 5);
    }

    [Fact]
    public void Scores_a_batch_in_order()
    {
        var predictions = new SentimentPrediction[3];

        _model.Score(["I love this, it is wonderful!", "This is awful and I hate it.", "The bus leaves at noon."], predictions);

        Assert.Equal([Sentiment.Positive, Sentiment.Negative, Sentiment.Neutral], predictions.Select(p => p.Label));
    }
}
