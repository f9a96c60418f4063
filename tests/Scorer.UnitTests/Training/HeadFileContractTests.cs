using Scorer.Models.Accurate;
using Scorer.Training;

namespace Scorer.UnitTests.Training;

/// <summary>
/// The head file is written by the trainer (<see cref="HeadFile"/>) and read by the served model
/// (<see cref="HeadDefinition"/>): both sides must agree on every number and its place.
/// </summary>
public sealed class HeadFileContractTests
{
    [Fact]
    public async Task Hidden_layers_and_lexicon_features_reach_the_runtime()
    {
        var model = new HeadModel([new DenseLayer(8 + LexiconFeatures.Count, 3, new float[(8 + LexiconFeatures.Count) * 3], new float[3], LayerActivation.None)]);
        var document = new HeadDocument(new EncoderInfo("all-MiniLM-L6-v2", PoolingMode.Mean, true, 8, LexiconFeatures.Vader, HiddenLayers: 4), SentimentLabels.Names, model, 1f, null);
        using var stream = new MemoryStream();

        await HeadFile.WriteAsync(stream, document);
        stream.Position = 0;
        var definition = HeadDefinition.Load(stream);
        stream.Position = 0;
        var reread = await HeadFile.ReadAsync(stream);

        Assert.Equal(4, definition.HiddenLayers);
        Assert.Equal(LexiconFeatures.Vader, definition.LexiconFeatures);
        Assert.Equal(12, definition.InputDim);
        Assert.Equal(document.Encoder, reread.Encoder);
    }

    [Fact]
    public async Task A_head_without_the_lexicon_width_is_refused()
    {
        var model = new HeadModel([new DenseLayer(8, 3, new float[8 * 3], new float[3], LayerActivation.None)]);
        var document = new HeadDocument(new EncoderInfo("all-MiniLM-L6-v2", PoolingMode.Mean, true, 8, LexiconFeatures.Vader), SentimentLabels.Names, model, 1f, null);
        await Assert.ThrowsAsync<FormatException>(() => HeadFile.WriteAsync(new MemoryStream(), document));
    }

    [Fact]
    public async Task What_the_trainer_writes_the_runtime_reads_the_same()
    {
        var random = new Random(7);
        DenseLayer Layer(int inputs, int outputs, LayerActivation activation) => new(inputs, outputs,
            Enumerable.Range(0, inputs * outputs).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(),
            Enumerable.Range(0, outputs).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(), activation);
        var model = new HeadModel([Layer(8, 5, LayerActivation.Relu), Layer(5, 3, LayerActivation.None)]);
        var document = new HeadDocument(new EncoderInfo("all-MiniLM-L6-v2", PoolingMode.Mean, true, 8), SentimentLabels.Names, model, 1.25f, null);
        using var stream = new MemoryStream();

        await HeadFile.WriteAsync(stream, document);
        stream.Position = 0;
        var definition = HeadDefinition.Load(stream);

        Assert.Equal("all-MiniLM-L6-v2", definition.Encoder);
        Assert.Equal(1.25f, definition.Temperature);
        Assert.Equal(2, definition.Layers.Length);
        for (var l = 0; l < 2; l++)
        {
            var written = model.Layers[l];
            var read = definition.Layers[l];
            for (var i = 0; i < written.Inputs; i++)
            {
                for (var o = 0; o < written.Outputs; o++)
                {
                    // The file keeps 6 significant digits.
                    Assert.True(Math.Abs(written.Weight(i, o) - read.Weights[i][o]) <= 1e-6f, $"weight [{i}][{o}] of layer {l}");
                }
            }

            Assert.Equal(written.Bias, read.Bias, (a, b) => Math.Abs(a - b) < 1e-5);
        }
    }
}
