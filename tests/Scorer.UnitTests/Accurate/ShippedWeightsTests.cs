using Scorer.Models.Accurate;
using Scorer.UnitTests.Accurate.Support;

namespace Scorer.UnitTests.Accurate;

/// <summary>The weights that ship with the Scorer, served as the Scorer serves them.</summary>
[Collection(EncoderCollection.Name)]
public sealed class ShippedWeightsTests
{
    private static readonly SentimentWeights Shipped = SentimentWeightsFile.Load(AccurateModelOptions.ShippedWeightsPath);

    [Fact]
    public void Carry_their_provenance_and_reference_scores()
    {
        var training = Shipped.Training!.Value;
        Assert.True(training.GetProperty("seed").GetInt32() > 0);
        Assert.Equal(4, training.GetProperty("data").EnumerateObject().Count());
        Assert.True(training.GetProperty("dev").GetProperty("tweets").GetProperty("macro_recall").GetDouble() > 0.5);
        Assert.True(Shipped.Reference.Count >= 6);
        Assert.Equal(64, Shipped.BaseEncoderSha256!.Length);
        Assert.True(Shipped.Encoder.Count > 90, "the fine-tuned encoder tensors");
    }

    [Fact]
    public void The_served_fp32_graph_reproduces_the_trainers_probabilities()
    {
        // PyTorch computed these from the same fp16 weights: a tensor written back to the wrong initializer (or
        // transposed) would move them far more than float rounding does.
        using var model = OnnxSentimentModel.Create(EncoderFixture.CpuOptions(AccuratePrecision.Fp32), Shipped);

        Assert.InRange(model.ReferenceDeviation(), 0f, 2e-3f);
    }
}
