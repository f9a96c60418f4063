using System.Text.Json;
using System.Text.Json.Nodes;
using Scorer.Models.Accurate;
using Scorer.Training;

namespace Scorer.UnitTests.Training;

public sealed class HeadFileTests
{
    private static HeadModel RandomMlp(int inputs, int hidden, int seed)
    {
        var random = new Random(seed);
        float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)Fixtures.Normal(random) * 0.1f).ToArray();
        return new HeadModel([
            new DenseLayer(inputs, hidden, Values(inputs * hidden), Values(hidden), LayerActivation.Relu),
            new DenseLayer(hidden, 3, Values(hidden * 3), Values(3), LayerActivation.None),
        ]);
    }

    private static HeadDocument Document(HeadModel head, int dimension) => new(
        new EncoderInfo("all-MiniLM-L6-v2", PoolingMode.Mean, true, dimension),
        SentimentLabels.Names,
        head,
        1.2345678,
        new TrainingProvenance
        {
            TrainSha256 = "aa",
            DevSha256 = "bb",
            TrainRows = 100,
            DevRows = 20,
            ExcludedRows = new Dictionary<string, IReadOnlyDictionary<string, int>> { ["train"] = new Dictionary<string, int> { ["ambiguous"] = 3, ["mixed"] = 2 } },
            Hyperparameters = new JsonObject { ["architecture"] = "mlp_4", ["l2"] = 0.0001 },
            DevMetrics = new JsonObject { ["macro_f1"] = 0.5 },
            EceBefore = 0.1,
            EceAfter = 0.05,
            Date = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero),
            Command = "train --grid default",
        });

    [Fact]
    public async Task Round_trips_layers_temperature_and_provenance()
    {
        HeadDocument original = Document(RandomMlp(5, 4, seed: 1), 5);
        var buffer = new MemoryStream();

        await HeadFile.WriteAsync(buffer, original);
        buffer.Position = 0;
        HeadDocument read = await HeadFile.ReadAsync(buffer);

        Assert.Equal(original.Encoder, read.Encoder);
        Assert.Equal(original.Labels, read.Labels);
        Assert.Equal(1.23457, read.Temperature, 9);
        for (int l = 0; l < 2; l++)
        {
            DenseLayer a = original.Head.Layers[l], b = read.Head.Layers[l];
            Assert.Equal(a.Activation, b.Activation);
            for (int i = 0; i < a.Weights.Length; i++)
            {
                Assert.Equal(a.Weights[i], b.Weights[i], 1e-6f * Math.Max(1f, Math.Abs(a.Weights[i])));
            }
        }

        TrainingProvenance t = read.Training!;
        Assert.Equal(100, t.TrainRows);
        Assert.Equal(3, t.ExcludedRows["train"]["ambiguous"]);
        Assert.Equal("mlp_4", t.Hyperparameters["architecture"]!.GetValue<string>());
        Assert.Equal(original.Training!.Date, t.Date);
        Assert.Equal("train --grid default", t.Command);
    }

    [Fact]
    public async Task Writes_the_agreed_layout_with_input_major_weights()
    {
        HeadModel head = RandomMlp(5, 4, seed: 2);
        var buffer = new MemoryStream();

        await HeadFile.WriteAsync(buffer, Document(head, 5));

        using JsonDocument json = JsonDocument.Parse(buffer.ToArray());
        JsonElement root = json.RootElement;
        Assert.Equal(["format", "encoder", "pooling", "normalize", "embedding_dim", "labels", "layers", "temperature", "training"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("format").GetInt32());
        Assert.Equal("mean", root.GetProperty("pooling").GetString());
        Assert.True(root.GetProperty("normalize").GetBoolean());
        JsonElement first = root.GetProperty("layers")[0];
        Assert.Equal(5, first.GetProperty("weights").GetArrayLength());
        Assert.Equal(4, first.GetProperty("weights")[0].GetArrayLength());
        Assert.Equal(head.Layers[0].Weight(input: 3, output: 1), first.GetProperty("weights")[3][1].GetSingle(), 1e-6f);
        Assert.Equal("relu", first.GetProperty("activation").GetString());
        Assert.Equal("none", root.GetProperty("layers")[1].GetProperty("activation").GetString());
        Assert.Equal(3, root.GetProperty("layers")[1].GetProperty("bias").GetArrayLength());
        JsonElement training = root.GetProperty("training");
        foreach (string key in new[] { "train_sha256", "dev_sha256", "train_rows", "excluded_rows", "hyperparameters", "dev_metrics", "ece_before", "ece_after", "date", "command" })
        {
            Assert.True(training.TryGetProperty(key, out _), key);
        }

        Assert.Equal("2026-11-28T12:00:00Z", training.GetProperty("date").GetString());
    }

    [Fact]
    public async Task A_384_by_256_mlp_file_stays_under_two_megabytes()
    {
        var buffer = new MemoryStream();

        await HeadFile.WriteAsync(buffer, Document(RandomMlp(384, 256, seed: 3), 384));

        Assert.InRange(buffer.Length, 1, 2_000_000);
    }

    [Fact]
    public async Task A_head_that_does_not_match_its_encoder_is_refused()
    {
        await Assert.ThrowsAsync<FormatException>(() => HeadFile.WriteAsync(new MemoryStream(), Document(RandomMlp(5, 4, seed: 4), 384)));
    }

    [Fact]
    public async Task The_reloaded_head_predicts_what_the_original_did()
    {
        HeadModel head = RandomMlp(5, 4, seed: 5);
        var buffer = new MemoryStream();
        await HeadFile.WriteAsync(buffer, Document(head, 5));
        buffer.Position = 0;
        HeadModel read = (await HeadFile.ReadAsync(buffer)).Head;
        LabeledFeatures data = Fixtures.Blobs(perClass: 5, dimensions: 5);

        FeatureMatrix a = head.ComputeLogits(data.Features), b = read.ComputeLogits(data.Features);

        for (int i = 0; i < a.Values.Length; i++)
        {
            Assert.Equal(a.Values[i], b.Values[i], 1e-4f);
        }
    }
}
