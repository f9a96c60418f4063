using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace Scorer.UnitTests.Accurate.Support;

/// <summary>Writes weights files in the layout the trainer writes (safetensors), for tests of the reader.</summary>
public static class WeightsFileWriter
{
    /// <summary>A tensor to write: F16 or F32 values in <paramref name="Shape"/>.</summary>
    public sealed record Tensor(string Dtype, long[] Shape, float[] Values);

    public static byte[] Write(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))) };
        var data = new MemoryStream();
        Span<byte> bytes = stackalloc byte[4];
        foreach (var (name, tensor) in tensors)
        {
            var start = data.Length;
            foreach (var value in tensor.Values)
            {
                if (tensor.Dtype == "F16")
                {
                    BinaryPrimitives.WriteHalfLittleEndian(bytes, (Half)value);
                    data.Write(bytes[..2]);
                }
                else
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
                    data.Write(bytes);
                }
            }

            header[name] = new JsonObject
            {
                ["dtype"] = tensor.Dtype,
                ["shape"] = new JsonArray([.. tensor.Shape.Select(d => (JsonNode?)d)]),
                ["data_offsets"] = new JsonArray(start, data.Length),
            };
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.ToArray().CopyTo(file, 8 + json.Length);
        return file;
    }

    /// <summary>The head JSON the trainer writes, for a one-layer head over MiniLM with VADER's scores.</summary>
    public static string LinearHead(float temperature = 1.25f) => $$"""
        {"format":1,"encoder":"all-MiniLM-L6-v2","pooling":"mean","hidden_layers":1,"normalize":false,"embedding_dim":384,
         "lexicon_features":"vader","labels":["negative","neutral","positive"],"temperature":{{temperature}},
         "layers":[{"weight":"accurate/head/0/weight","bias":"accurate/head/0/bias","activation":"none"}]}
        """;
}
