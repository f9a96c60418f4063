using Scorer.Models;
using Scorer.Models.Accurate;
using Scorer.UnitTests.Accurate.Support;
using static Scorer.UnitTests.Accurate.Support.WeightsFileWriter;

namespace Scorer.UnitTests.Accurate;

public sealed class SentimentWeightsFileTests
{
    private static readonly float[] HeadWeights = [.. Enumerable.Range(0, 388 * 3).Select(i => (i % 7 - 3) / 10f)];

    private static Dictionary<string, Tensor> Tensors() => new()
    {
        ["accurate/head/0/weight"] = new("F32", [388, 3], HeadWeights),
        ["accurate/head/0/bias"] = new("F32", [3], [0.1f, -0.2f, 0.3f]),
        ["encoder.layer.5.output.LayerNorm.bias"] = new("F16", [384], [.. Enumerable.Range(0, 384).Select(i => i / 1024f)]),
    };

    private static Dictionary<string, string> Metadata() => new()
    {
        ["format"] = "1",
        ["head"] = LinearHead(),
        ["base_encoder_sha256"] = "ab12",
        ["training"] = """{"seed":7,"dev":{"tweets":{"macro_recall":0.7}}}""",
        ["reference"] = """[{"text":"I love it","probabilities":[0.1,0.2,0.7]}]""",
    };

    [Fact]
    public void Reads_the_head_the_encoder_tensors_and_the_provenance()
    {
        var weights = SentimentWeightsFile.Parse(Write(Tensors(), Metadata()));

        Assert.Equal(PoolingMode.Mean, weights.Head.Pooling);
        Assert.False(weights.Head.Normalize);
        Assert.Equal(LexiconFeatures.Vader, weights.Head.LexiconFeatures);
        Assert.Equal(1.25f, weights.Head.Temperature);
        var layer = Assert.Single(weights.Head.Layers);
        Assert.Equal((388, 3), (layer.Inputs, layer.Outputs));
        Assert.Equal(HeadWeights[3 * 5 + 2], layer.Weights[5][2]); // [in, out] row-major
        Assert.Equal([0.1f, -0.2f, 0.3f], layer.Bias);

        var encoder = Assert.Single(weights.Encoder);
        Assert.Equal("encoder.layer.5.output.LayerNorm.bias", encoder.Key);
        Assert.Equal(100 / 1024f, encoder.Value.Values[100]); // exact in fp16
        Assert.Equal("ab12", weights.BaseEncoderSha256);
        Assert.Equal(7, weights.Training!.Value.GetProperty("seed").GetInt32());
        var reference = Assert.Single(weights.Reference);
        Assert.Equal("I love it", reference.Text);
        Assert.Equal([0.1f, 0.2f, 0.7f], reference.Probabilities);
        Assert.Matches("^[0-9a-f]{8}$", weights.Hash8);
    }

    [Fact]
    public void The_hash_names_the_exact_bytes()
    {
        var tensors = Tensors();
        var first = SentimentWeightsFile.Parse(Write(tensors, Metadata())).Hash8;
        tensors["accurate/head/0/bias"] = new("F32", [3], [0.1f, -0.2f, 0.31f]);

        Assert.NotEqual(first, SentimentWeightsFile.Parse(Write(tensors, Metadata())).Hash8);
    }

    public static TheoryData<string, Action<Dictionary<string, Tensor>, Dictionary<string, string>>> Corruptions => new()
    {
        { "format '2'", (_, m) => m["format"] = "2" },
        { "no head", (_, m) => m.Remove("head") },
        { "'accurate/head/0/bias'", (t, _) => t.Remove("accurate/head/0/bias") },
        { "dtype 'I8'", (t, _) => t["encoder.layer.5.output.LayerNorm.bias"] = new("I8", [384], new float[384]) },
        { "non-finite", (t, _) => t["accurate/head/0/bias"] = new("F32", [3], [1f, float.NaN, 0f]) },
        { "384 F16 values", (t, _) => t["encoder.layer.5.output.LayerNorm.bias"] = new("F16", [384], new float[383]) },
        { "expected 388 inputs", (t, _) => t["accurate/head/0/weight"] = new("F32", [387, 3], new float[387 * 3]) },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupt_file_is_refused_saying_what_is_wrong(string fragment, Action<Dictionary<string, Tensor>, Dictionary<string, string>> corrupt)
    {
        var tensors = Tensors();
        var metadata = Metadata();
        corrupt(tensors, metadata);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Write(tensors, metadata));
            var error = Assert.Throws<InvalidDataException>(() => SentimentWeightsFile.Load(path));

            Assert.Contains(path, error.Message);
            Assert.Contains(fragment, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 255, 255, 255, 255, 0, 0, 0, 0, (byte)'{' })]
    public void A_truncated_file_is_refused(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => SentimentWeightsFile.Parse(bytes));
}
