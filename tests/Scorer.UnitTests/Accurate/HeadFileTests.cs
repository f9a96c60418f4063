using System.Globalization;
using System.Text.Json;
using Scorer.UnitTests.Accurate.Support;
using Scorer.Models.Accurate;

namespace Scorer.UnitTests.Accurate;

public sealed class HeadFileTests
{
    private static string ShippedHead => AccurateModelOptions.DefaultHeadPath(EncoderCatalog.MiniLmL6V2.Name);

    private static async Task<byte[]> WrittenAsync(HeadDefinition head)
    {
        using var buffer = new MemoryStream();
        await HeadFile.WriteAsync(buffer, head);
        return buffer.ToArray();
    }

    [Fact]
    public void The_shipped_head_loads_with_the_hash_its_version_names()
    {
        var head = HeadFile.Load(ShippedHead);

        Assert.Equal("all-MiniLM-L6-v2", head.Encoder);
        Assert.Equal(4, head.HiddenLayers);
        Assert.Equal(LexiconFeatures.Vader, head.LexiconFeatures);
        Assert.Equal([388, 256], head.Layers.Select(l => l.Inputs));
        Assert.Equal(1.08957f, head.Temperature);
        // The served version is "minilm-l6-v2+head-4ffb213d[-int8]": a new hash would re-label the shipped head's scores.
        Assert.Equal("4ffb213d", head.Hash8());
    }

    [Fact]
    public async Task Writing_the_shipped_head_gives_back_its_bytes()
    {
        var written = await WrittenAsync(HeadFile.Load(ShippedHead));
        var shipped = await File.ReadAllBytesAsync(ShippedHead);

        Assert.True(written.SequenceEqual(shipped), "the rewritten head differs from the shipped file");
    }

    [Fact]
    public async Task Json_has_the_file_layout()
    {
        var head = TestHeads.Random(1, EncoderCatalog.MiniLmL6V2, hidden: [4]);
        using var json = JsonDocument.Parse(await WrittenAsync(head));
        var root = json.RootElement;

        Assert.Equal(["format", "encoder", "pooling", "normalize", "embedding_dim", "labels", "layers", "temperature", "training"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("format").GetInt32());
        Assert.Equal("all-MiniLM-L6-v2", root.GetProperty("encoder").GetString());
        Assert.Equal("mean", root.GetProperty("pooling").GetString());
        Assert.True(root.GetProperty("normalize").GetBoolean());
        Assert.Equal(384, root.GetProperty("embedding_dim").GetInt32());
        Assert.Equal(["negative", "neutral", "positive"], root.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        var layers = root.GetProperty("layers");
        Assert.Equal(2, layers.GetArrayLength());
        Assert.Equal(["weights", "bias", "activation"], layers[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(384, layers[0].GetProperty("weights").GetArrayLength());
        Assert.Equal(4, layers[0].GetProperty("weights")[0].GetArrayLength());
        Assert.Equal("relu", layers[0].GetProperty("activation").GetString());
        Assert.Equal("none", layers[1].GetProperty("activation").GetString());
        Assert.Equal(1.0, root.GetProperty("temperature").GetDouble());
        Assert.Equal(1, root.GetProperty("training").GetProperty("seed").GetInt32());
    }

    [Fact]
    public async Task Hidden_layers_and_lexicon_features_are_written_when_not_the_default()
    {
        var head = TestHeads.Random(2, EncoderCatalog.MiniLmL6V2, hiddenLayers: 4, lexicon: LexiconFeatures.Vader, pooling: PoolingMode.Cls);
        using var json = JsonDocument.Parse(await WrittenAsync(head));
        var root = json.RootElement;

        Assert.Equal(["format", "encoder", "pooling", "hidden_layers", "normalize", "embedding_dim", "lexicon_features", "labels", "layers", "temperature", "training"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("cls", root.GetProperty("pooling").GetString());
        Assert.Equal(4, root.GetProperty("hidden_layers").GetInt32());
        Assert.Equal("vader", root.GetProperty("lexicon_features").GetString());
        Assert.Equal(388, root.GetProperty("layers")[0].GetProperty("weights").GetArrayLength());
    }

    [Fact]
    public async Task Reads_a_hand_written_head()
    {
        var weights = string.Join(",", Enumerable.Range(0, 2).Select(_ => "[0.5,-0.25,1e-3]"));
        var head = HeadFile.Parse($$"""
            {"format":1,"encoder":"snowflake-arctic-embed-xs","pooling":"cls","normalize":false,"embedding_dim":2,
             "labels":["negative","neutral","positive"],
             "layers":[{"weights":[{{weights}}],"bias":[0,0,0.5],"activation":"none"}],
             "temperature":1.5,"training":{"data":"goemotions","epochs":[1,2],"nested":{"a":null} } }
            """);

        Assert.Equal(PoolingMode.Cls, head.Pooling);
        Assert.False(head.Normalize);
        Assert.Equal(1, head.HiddenLayers);
        Assert.Null(head.LexiconFeatures);
        Assert.Equal(1.5f, head.Temperature);
        Assert.Equal(-0.25f, head.Layers[0].Weights[1][1]);
        Assert.Equal("goemotions", head.Training!.Value.GetProperty("data").GetString());
        Assert.Contains("\"training\":{\"data\":\"goemotions\",\"epochs\":[1,2],\"nested\":{\"a\":null}}", System.Text.Encoding.UTF8.GetString(await WrittenAsync(head)));
    }

    [Fact]
    public async Task A_written_head_reads_back_to_6_significant_digits_and_rewrites_unchanged()
    {
        var head = TestHeads.Random(7, EncoderCatalog.MiniLmL6V2, hidden: [16], temperature: 1.7f);
        var path = Path.GetTempFileName();
        try
        {
            await HeadFile.WriteAsync(path, head);
            var read = HeadFile.Load(path);

            static float SixDigits(float value) => float.Parse(((double)value).ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            for (var l = 0; l < head.Layers.Length; l++)
            {
                Assert.Equal(head.Layers[l].Bias.Select(SixDigits), read.Layers[l].Bias);
                for (var i = 0; i < head.Layers[l].Inputs; i++)
                {
                    Assert.Equal(head.Layers[l].Weights[i].Select(SixDigits), read.Layers[l].Weights[i]);
                }
            }

            var rewritten = await WrittenAsync(read);
            var file = await File.ReadAllBytesAsync(path);
            Assert.True(rewritten.SequenceEqual(file), "a head read from its file must write the same bytes");
            Assert.Equal(read.Hash8(), HeadFile.Load(new MemoryStream(rewritten)).Hash8());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{"format":2}""", "format 2")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":2,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0]}]}""", "weight rows")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":1,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0]}]}""", "one per bias")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":1,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2]],"bias":[0,0]}]}""", "2 outputs")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":1,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0],"activation":"relu"}]}""", "activation")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":1,"labels":["bad","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0]}]}""", "labels")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":1,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0]}],"temperature":0}""", "temperature")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":1,"hidden_layers":0,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0]}]}""", "hidden_layers")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":1,"lexicon_features":"afinn","labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0]}]}""", "lexicon_features")]
    public void Invalid_heads_are_rejected_with_the_reason(string json, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => HeadFile.Parse(json));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Unknown_activation_is_rejected()
    {
        Assert.ThrowsAny<JsonException>(() => HeadFile.Parse(
            """{"format":1,"encoder":"e","embedding_dim":1,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0],"activation":"gelu"}]}"""));
    }

    [Fact]
    public async Task A_bad_head_file_is_named_in_the_error()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, """{"format":1,"encoder":"e","embedding_dim":1,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,"x"]]""");

            var error = Assert.Throws<InvalidDataException>(() => HeadFile.Load(path));
            Assert.Contains(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
