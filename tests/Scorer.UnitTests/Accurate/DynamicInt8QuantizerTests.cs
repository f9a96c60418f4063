using Scorer.UnitTests.Accurate.Support;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Scorer.Models.Accurate;

namespace Scorer.UnitTests.Accurate;

[Collection(EncoderCollection.Name)]
public sealed class DynamicInt8QuantizerTests(EncoderFixture encoders)
{
    [Fact]
    public void Columns_are_scaled_symmetrically_by_their_largest_magnitude()
    {
        // 2 x 3, row-major: columns (1, -4), (0.5, 0.25), (0, 0).
        float[] weights = [1f, 0.5f, 0f, -4f, 0.25f, 0f];
        var (q, scales) = DynamicInt8Quantizer.QuantizeColumns(weights, rows: 2, columns: 3);

        Assert.Equal([4f / 127, 0.5f / 127, 1f], scales);
        Assert.Equal([32, 127, 0, -127, 64, 0], q.Select(v => (int)v));
    }

    [Fact]
    public void Constant_matmuls_become_dynamic_quantize_matmul_with_folded_bias()
    {
        var model = TinyModels.Dense(1, out _, out _, out _);
        var (quantized, count) = DynamicInt8Quantizer.Quantize(model);

        Assert.Equal(2, count);
        Assert.Equal(["DynamicQuantizeMatMul", "Relu", "DynamicQuantizeMatMul"], quantized.Graph.Node.Select(n => n.OpType));
        var first = quantized.Graph.Node[0];
        Assert.Equal("com.microsoft", first.Domain);
        Assert.Equal(5, first.Input.Count); // A, B, scale, zero point, folded bias
        Assert.Equal("b1", first.Input[4]);
        Assert.Equal("hb", first.Output[0]);
        Assert.Contains(quantized.OpsetImport, o => o.Domain == "com.microsoft" && o.Version == 1);
        Assert.DoesNotContain(quantized.Graph.Initializer, t => t.Name is "w1" or "w2");
        var q = quantized.Graph.Initializer.Single(t => t.Name == first.Input[1]);
        Assert.Equal((int)TensorProto.Types.DataType.Uint8, q.DataType); // q + 128: see DynamicInt8Quantizer's remarks
        var zeroPoint = quantized.Graph.Initializer.Single(t => t.Name == first.Input[3]);
        Assert.Equal((int)TensorProto.Types.DataType.Uint8, zeroPoint.DataType);
        Assert.All(zeroPoint.RawData, b => Assert.Equal(DynamicInt8Quantizer.UnsignedZeroPoint, b));
        Assert.Equal([8L, 6], q.Dims);
        Assert.Equal(4, model.Graph.Node.Count); // the input model is left as it was
    }

    [Fact]
    public void Quantized_tiny_graph_runs_and_stays_close_to_fp32()
    {
        var model = TinyModels.Dense(2, out var w1, out var b1, out var w2);
        var (quantized, _) = DynamicInt8Quantizer.Quantize(model);
        var random = new Random(5);
        var x = Enumerable.Range(0, 4 * 8).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        var y = RunTiny(quantized, x, 4);

        var expected = TinyModels.Reference(x, 4, w1, b1, w2);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - y[i]) < 0.05, $"output {i}: fp32 {expected[i]}, int8 {y[i]}");
        }
    }

    [Fact]
    public void Every_weight_matmul_of_the_encoder_is_quantized_and_the_filter_is_honoured()
    {
        var head = TestHeads.Random(5, EncoderCatalog.MiniLmL6V2);
        var composed = SentimentGraphComposer.Compose(encoders.MiniLm.Graph, head);

        var (all, allCount) = DynamicInt8Quantizer.Quantize(composed);
        Assert.Equal(6 * 6 + 1, allCount); // q, k, v, output, intermediate, output dense per layer, and the head
        Assert.DoesNotContain(all.Graph.Node, n => n.OpType == "MatMul" && all.Graph.Initializer.Any(t => t.Name == n.Input[1]));

        var (_, encoderOnly) = DynamicInt8Quantizer.Quantize(composed,
            n => !n.Name.StartsWith(SentimentGraphComposer.HeadPrefix, StringComparison.Ordinal));
        Assert.Equal(6 * 6, encoderOnly);
    }

    [Fact]
    public void Int8_embeddings_stay_within_cosine_098_of_fp32()
    {
        var cosines = Int8Cosines(smoothing: true);
        Assert.All(cosines, (c, i) => Assert.True(c >= 0.98, $"\"{Sentences.Varied[i]}\": cosine {c:F4}"));
        Assert.True(cosines.Average() >= 0.99, $"mean cosine {cosines.Average():F4}");
    }

    [Fact]
    public void Plain_int8_without_smoothing_is_close_on_average_but_not_on_every_short_text()
    {
        // Per-tensor activation scales make short, shouty texts the worst (~0.96): why smoothing is on by default.
        var cosines = Int8Cosines(smoothing: false);
        Assert.True(cosines.Average() >= 0.98, $"mean cosine {cosines.Average():F4}");
        Assert.All(cosines, (c, i) => Assert.True(c >= 0.95, $"\"{Sentences.Varied[i]}\": cosine {c:F4}"));
    }

    [Fact]
    public void Smoothing_leaves_the_fp32_function_unchanged()
    {
        var model = TinyModels.Dense(3, out _, out _, out _);
        // Pretend calibration: channel 0 of x is an outlier, and so is channel 2 of the hidden layer.
        var maxima = new Dictionary<string, float[]>
        {
            ["x"] = [40f, 1, 1, 1, 1, 1, 1, 1],
            ["r"] = [1f, 1, 25, 1, 1, 1],
        };
        var smoothed = Int8ActivationSmoothing.Apply(model, maxima);
        Assert.Equal(2, smoothed.Graph.Node.Count(n => n.OpType == "Mul"));
        Assert.Equal(4, model.Graph.Node.Count); // the input model is left as it was

        var random = new Random(9);
        var x = Enumerable.Range(0, 3 * 8).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var expected = RunTiny(model, x, 3);
        var actual = RunTiny(smoothed, x, 3);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    private static float[] RunTiny(ModelProto model, float[] x, int batch)
    {
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model));
        using var input = OrtValue.CreateTensorValueFromMemory(x, [batch, 8]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [input], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static double[] Int8Cosines(bool smoothing)
    {
        // The pooled, normalised embedding is the model's second output; the head on top is not quantized.
        var weights = TestHeads.Weights(TestHeads.Random(5, EncoderCatalog.MiniLmL6V2));
        using var fp32 = OnnxSentimentModel.Create(EncoderFixture.CpuOptions(AccuratePrecision.Fp32), weights);
        var int8Options = EncoderFixture.CpuOptions(AccuratePrecision.Int8);
        int8Options.Int8Smoothing = smoothing;
        using var int8 = OnnxSentimentModel.Create(int8Options, weights);
        Assert.Equal(AccuratePrecision.Int8, int8.Precision);

        var texts = Sentences.Varied;
        var dim = fp32.EmbeddingDimension;
        var a = new float[texts.Length * dim];
        var b = new float[texts.Length * dim];
        fp32.Score(texts, new Scorer.Models.SentimentPrediction[texts.Length], a);
        int8.Score(texts, new Scorer.Models.SentimentPrediction[texts.Length], b);
        return [.. Enumerable.Range(0, texts.Length).Select(i => Cosine(a.AsSpan(i * dim, dim), b.AsSpan(i * dim, dim)))];
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
