using System.Text.Json.Nodes;
using Scorer.Models.Accurate;
using Scorer.Training;
using Scorer.UnitTests.Accurate.Support;

namespace Scorer.UnitTests.Training;

/// <summary>What the trainer writes is read back by the served model's one reader, <see cref="HeadFile"/>.</summary>
public sealed class TrainedHeadTests
{
    private static readonly EncoderInfo MiniLm = new("all-MiniLM-L6-v2", PoolingMode.Mean, true, 5);

    private static HeadModel RandomMlp(int inputs, int hidden, int seed)
    {
        var random = new Random(seed);
        float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)Fixtures.Normal(random) * 0.1f).ToArray();
        return new HeadModel([
            new DenseLayer(inputs, hidden, Values(inputs * hidden), Values(hidden), LayerActivation.Relu),
            new DenseLayer(hidden, 3, Values(hidden * 3), Values(3), LayerActivation.None),
        ]);
    }

    private static readonly TrainingProvenance Provenance = new()
    {
        TrainSha256 = "aa",
        DevSha256 = "bb",
        TrainRows = 100,
        DevRows = 20,
        ExcludedRows = new Dictionary<string, IReadOnlyDictionary<string, int>> { ["train"] = new Dictionary<string, int> { ["ambiguous"] = 3, ["mixed"] = 2 } },
        Hyperparameters = new JsonObject { ["architecture"] = "mlp_4", ["l2"] = 0.0001 },
        DevMetrics = new JsonObject { ["macro_f1"] = 0.5 },
        EceBefore = 0.1234567,
        EceAfter = double.NaN,
        Date = new DateTimeOffset(2026, 11, 28, 14, 0, 0, TimeSpan.FromHours(2)),
        Command = "train --grid default",
    };

    /// <summary>Writes the trained head as the trainer does and reads it back as the served model does.</summary>
    private static async Task<HeadDefinition> WrittenAndLoadedAsync(HeadModel head, EncoderInfo encoder, double temperature = 1.2345678, TrainingProvenance? training = null)
    {
        using var buffer = new MemoryStream();
        await HeadFile.WriteAsync(buffer, TrainedHead.ToDefinition(head, encoder, temperature, training));
        buffer.Position = 0;
        return HeadFile.Load(buffer);
    }

    [Fact]
    public async Task Encoder_layers_and_temperature_round_trip_through_the_head_file_reader()
    {
        HeadModel head = RandomMlp(5, 4, seed: 1);

        HeadDefinition read = await WrittenAndLoadedAsync(head, MiniLm);

        Assert.Equal(("all-MiniLM-L6-v2", PoolingMode.Mean, true, 5, 1), (read.Encoder, read.Pooling, read.Normalize, read.EmbeddingDim, read.HiddenLayers));
        Assert.Null(read.LexiconFeatures);
        Assert.Equal(SentimentLabels.Names, read.Labels);
        Assert.Equal(1.23457f, read.Temperature);
        Assert.Equal([HeadActivation.Relu, HeadActivation.None], read.Layers.Select(l => l.Activation));
        for (int l = 0; l < head.Layers.Count; l++)
        {
            DenseLayer written = head.Layers[l];
            HeadLayer layer = read.Layers[l];
            Assert.Equal((written.Inputs, written.Outputs), (layer.Inputs, layer.Outputs));
            for (int input = 0; input < written.Inputs; input++)
            {
                for (int output = 0; output < written.Outputs; output++)
                {
                    // Input-major in the file; 6 significant digits.
                    float weight = written.Weight(input, output);
                    Assert.Equal(weight, layer.Weights[input][output], 5e-6f * Math.Max(1f, Math.Abs(weight)));
                }
            }

            Assert.Equal(written.Bias, layer.Bias, (a, b) => Math.Abs(a - b) <= 5e-6f * Math.Max(1f, Math.Abs(a)));
        }

        Assert.Null(read.Training);
    }

    [Fact]
    public async Task Hidden_layers_and_lexicon_features_reach_the_runtime()
    {
        var encoder = new EncoderInfo("all-MiniLM-L6-v2", PoolingMode.Mean, true, 8, LexiconFeatures.Vader, HiddenLayers: 4);

        HeadDefinition read = await WrittenAndLoadedAsync(RandomMlp(12, 4, seed: 2), encoder);

        Assert.Equal(4, read.HiddenLayers);
        Assert.Equal(LexiconFeatures.Vader, read.LexiconFeatures);
        Assert.Equal(12, read.InputDim);
    }

    [Fact]
    public async Task The_provenance_is_kept_in_the_training_object()
    {
        HeadDefinition read = await WrittenAndLoadedAsync(RandomMlp(5, 4, seed: 3), MiniLm, training: Provenance);

        var training = JsonNode.Parse(read.Training!.Value.GetRawText())!.AsObject();
        Assert.Equal(["train_sha256", "dev_sha256", "train_rows", "dev_rows", "excluded_rows", "hyperparameters", "dev_metrics", "ece_before", "ece_after", "date", "command"],
            training.Select(p => p.Key));
        Assert.Equal(100, training["train_rows"]!.GetValue<int>());
        Assert.Equal(3, training["excluded_rows"]!["train"]!["ambiguous"]!.GetValue<int>());
        Assert.Equal("mlp_4", training["hyperparameters"]!["architecture"]!.GetValue<string>());
        Assert.Equal(0.123457, training["ece_before"]!.GetValue<double>());
        Assert.Null(training["ece_after"]);
        Assert.Equal("2026-11-28T12:00:00Z", training["date"]!.GetValue<string>());
        Assert.Equal("train --grid default", training["command"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_reloaded_head_predicts_what_the_trained_one_did()
    {
        HeadModel head = RandomMlp(5, 4, seed: 5);
        HeadDefinition read = await WrittenAndLoadedAsync(head, MiniLm, temperature: 1.5);
        LabeledFeatures data = Fixtures.Blobs(perClass: 5, dimensions: 5);

        FeatureMatrix trained = head.PredictProbabilities(data.Features, temperature: 1.5);

        for (int row = 0; row < data.Count; row++)
        {
            double[] served = ReferenceHead.Probabilities(data.Features.Row(row).ToArray(), read);
            Assert.Equal(trained.Row(row).ToArray().Select(p => (double)p), served, (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Fact]
    public async Task A_384_by_256_mlp_file_stays_under_two_megabytes()
    {
        var buffer = new MemoryStream();

        await HeadFile.WriteAsync(buffer, TrainedHead.ToDefinition(RandomMlp(384, 256, seed: 3), MiniLm with { Dimension = 384 }, 1.0, Provenance));

        Assert.InRange(buffer.Length, 1, 2_000_000);
    }

    [Theory]
    [InlineData(384, null, "5 weight rows, expected 384 inputs")]
    [InlineData(5, LexiconFeatures.Vader, "5 weight rows, expected 9 inputs")]
    public async Task A_head_that_does_not_match_its_encoder_is_refused_and_not_written(int dimension, string? lexicon, string reason)
    {
        var path = Path.Combine(Path.GetTempPath(), $"head-{Guid.NewGuid():N}.json");
        HeadDefinition definition = TrainedHead.ToDefinition(RandomMlp(5, 4, seed: 4), MiniLm with { Dimension = dimension, LexiconFeatures = lexicon }, 1.0, null);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => HeadFile.WriteAsync(path, definition));

        Assert.Contains(reason, error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_diverged_head_is_refused()
    {
        HeadModel head = RandomMlp(5, 4, seed: 6);
        head.Layers[1].Bias[0] = float.NaN;

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => HeadFile.WriteAsync(new MemoryStream(), TrainedHead.ToDefinition(head, MiniLm, 1.0, null)));

        Assert.Contains("non-finite", error.Message);
    }
}
