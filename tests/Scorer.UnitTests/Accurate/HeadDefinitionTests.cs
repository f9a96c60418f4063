using System.Text.Json;
using Scorer.UnitTests.Accurate.Support;
using Scorer.Models.Accurate;

namespace Scorer.UnitTests.Accurate;

public sealed class HeadDefinitionTests
{
    [Fact]
    public void Json_has_the_trainer_format()
    {
        var head = TestHeads.Random(1, EncoderCatalog.MiniLmL6V2, hidden: [4]);
        using var json = JsonDocument.Parse(head.ToJson());
        var root = json.RootElement;

        Assert.Equal(1, root.GetProperty("format").GetInt32());
        Assert.Equal("all-MiniLM-L6-v2", root.GetProperty("encoder").GetString());
        Assert.Equal("mean", root.GetProperty("pooling").GetString());
        Assert.True(root.GetProperty("normalize").GetBoolean());
        Assert.Equal(384, root.GetProperty("embedding_dim").GetInt32());
        Assert.Equal(["negative", "neutral", "positive"], root.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        var layers = root.GetProperty("layers");
        Assert.Equal(2, layers.GetArrayLength());
        Assert.Equal(384, layers[0].GetProperty("weights").GetArrayLength());
        Assert.Equal(4, layers[0].GetProperty("weights")[0].GetArrayLength());
        Assert.Equal("relu", layers[0].GetProperty("activation").GetString());
        Assert.Equal("none", layers[1].GetProperty("activation").GetString());
        Assert.Equal(1.0, root.GetProperty("temperature").GetDouble());
        Assert.Equal(1, root.GetProperty("training").GetProperty("seed").GetInt32());
    }

    [Fact]
    public void Reads_a_hand_written_head()
    {
        var weights = string.Join(",", Enumerable.Range(0, 2).Select(_ => "[0.5,-0.25,1e-3]"));
        var head = HeadDefinition.FromJson($$"""
            {"format":1,"encoder":"snowflake-arctic-embed-xs","pooling":"cls","normalize":false,"embedding_dim":2,
             "labels":["negative","neutral","positive"],
             "layers":[{"weights":[{{weights}}],"bias":[0,0,0.5],"activation":"none"}],
             "temperature":1.5,"training":{"data":"goemotions","epochs":[1,2],"nested":{"a":null} } }
            """);

        Assert.Equal(PoolingMode.Cls, head.Pooling);
        Assert.False(head.Normalize);
        Assert.Equal(1.5f, head.Temperature);
        Assert.Equal(-0.25f, head.Layers[0].Weights[1][1]);
        Assert.Equal("goemotions", head.Training!.Value.GetProperty("data").GetString());
        Assert.Contains("\"nested\":{\"a\":null}", head.ToJson());
    }

    [Fact]
    public void Round_trip_keeps_every_weight_bit_and_the_hash()
    {
        var head = TestHeads.Random(7, EncoderCatalog.MiniLmL6V2, hidden: [16], temperature: 1.7f);
        var path = Path.GetTempFileName();
        try
        {
            head.Save(path);
            var read = HeadDefinition.Load(path);

            Assert.Equal(head.Hash8(), read.Hash8());
            Assert.Equal(head.ToJson(), read.ToJson());
            for (var l = 0; l < head.Layers.Length; l++)
            {
                Assert.Equal(head.Layers[l].Bias, read.Layers[l].Bias);
                for (var i = 0; i < head.Layers[l].Inputs; i++)
                {
                    Assert.Equal(head.Layers[l].Weights[i], read.Layers[l].Weights[i]);
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{"format":2}""", "format 2")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":2,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0]}]}""", "weight rows")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":1,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2]],"bias":[0,0]}]}""", "2 outputs")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":1,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0],"activation":"relu"}]}""", "activation")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":1,"labels":["bad","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0]}]}""", "labels")]
    [InlineData("""{"format":1,"encoder":"e","embedding_dim":1,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0]}],"temperature":0}""", "temperature")]
    public void Invalid_heads_are_rejected_with_the_reason(string json, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => HeadDefinition.FromJson(json));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Unknown_activation_is_rejected()
    {
        Assert.ThrowsAny<JsonException>(() => HeadDefinition.FromJson(
            """{"format":1,"encoder":"e","embedding_dim":1,"labels":["negative","neutral","positive"],"layers":[{"weights":[[1,2,3]],"bias":[0,0,0],"activation":"gelu"}]}"""));
    }
}
