using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scorer.Models.Accurate;

/// <summary>
/// Reads the accurate model's weights file: the safetensors layout (an 8-byte little-endian header length, a
/// JSON header naming each tensor's <c>dtype</c>, <c>shape</c> and <c>data_offsets</c>, then the raw little-endian
/// bytes), as <c>training/trainer/weights_file.py</c> writes it. Tensors are <c>F16</c> (the fine-tuned encoder)
/// or <c>F32</c> (the head). The header's <c>__metadata__</c> holds strings:
/// <list type="bullet">
/// <item><c>format</c>: <c>1</c>;</item>
/// <item><c>head</c>: JSON <c>{"encoder", "pooling": "mean"|"cls", "hidden_layers", "normalize", "embedding_dim",
/// "lexicon_features": "vader" (optional), "labels", "temperature", "layers": [{"weight": tensor name [in, out],
/// "bias": tensor name [out], "activation": "relu"|"none"}]}</c>;</item>
/// <item><c>base_encoder_sha256</c>: the encoder graph trained from;</item>
/// <item><c>training</c>: provenance JSON; <c>reference</c>: <c>[{"text", "probabilities": [neg, neu, pos]}]</c>.</item>
/// </list>
/// Every tensor not named by the head is an encoder tensor, named as the encoder graph's initializer it replaces.
/// Any problem is an <see cref="InvalidDataException"/> that names the file.
/// </summary>
public static class SentimentWeightsFile
{
    public const string FormatVersion = "1";

    /// <summary>Largest header accepted: the real one is a few kB; this bounds what a corrupt length can allocate.</summary>
    private const long MaxHeaderBytes = 16 << 20;

    public static SentimentWeights Load(string path)
    {
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"The weights file {path} is not valid: {e.Message}", e);
        }
    }

    public static SentimentWeights Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8)
        {
            throw new InvalidDataException("it is shorter than its 8-byte header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || (long)headerLength > file.Length - 8)
        {
            throw new InvalidDataException($"its header length {headerLength} does not fit the file.");
        }

        var header = JsonNode.Parse(file.Slice(8, (int)headerLength))?.AsObject()
            ?? throw new InvalidDataException("its header is not a JSON object.");
        var data = file[(8 + (int)headerLength)..];
        var metadata = header["__metadata__"]?.AsObject() ?? throw new InvalidDataException("it has no __metadata__.");
        var format = metadata["format"]?.GetValue<string>();
        if (format != FormatVersion)
        {
            throw new InvalidDataException($"format '{format}' is not supported (expected {FormatVersion}).");
        }

        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var (name, entry) in header)
        {
            if (name != "__metadata__")
            {
                tensors[name] = ReadTensor(name, entry?.AsObject() ?? throw new InvalidDataException($"tensor {name} has no entry."), data);
            }
        }

        var headJson = metadata["head"]?.GetValue<string>() ?? throw new InvalidDataException("its metadata has no head.");
        var (head, headTensors) = ReadHead(JsonNode.Parse(headJson)?.AsObject() ?? throw new InvalidDataException("head is not a JSON object."), tensors);
        return new SentimentWeights
        {
            Head = head.Validated(),
            Encoder = tensors.Where(t => !headTensors.Contains(t.Key)).ToDictionary(StringComparer.Ordinal),
            BaseEncoderSha256 = metadata["base_encoder_sha256"]?.GetValue<string>(),
            Training = metadata["training"]?.GetValue<string>() is { } training ? JsonDocument.Parse(training).RootElement.Clone() : null,
            Reference = metadata["reference"]?.GetValue<string>() is { } reference ? ReadReference(reference) : [],
            Hash8 = Convert.ToHexStringLower(SHA256.HashData(file))[..8],
        };
    }

    private static WeightTensor ReadTensor(string name, JsonObject entry, ReadOnlySpan<byte> data)
    {
        var dtype = entry["dtype"]?.GetValue<string>();
        var shape = entry["shape"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray() ?? throw new InvalidDataException($"tensor {name} has no shape.");
        var offsets = entry["data_offsets"]?.AsArray().Select(o => o!.GetValue<long>()).ToArray();
        if (offsets is not [var start, var end] || start < 0 || end < start || end > data.Length)
        {
            throw new InvalidDataException($"tensor {name}'s data_offsets do not fit the file.");
        }

        var elements = shape.Aggregate(1L, (a, b) => b < 0 ? throw new InvalidDataException($"tensor {name} has a negative dimension.") : a * b);
        var bytes = data[(int)start..(int)end];
        var width = dtype switch
        {
            "F16" => 2,
            "F32" => 4,
            _ => throw new InvalidDataException($"tensor {name} has dtype '{dtype}'; F16 and F32 are supported."),
        };
        if (bytes.Length != elements * width)
        {
            throw new InvalidDataException($"tensor {name} has {bytes.Length} bytes for {elements} {dtype} values.");
        }

        var values = new float[elements];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = width == 2
                ? (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..])
                : BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
            if (!float.IsFinite(values[i]))
            {
                throw new InvalidDataException($"tensor {name} has a non-finite value at {i}.");
            }
        }

        return new WeightTensor(shape, values);
    }

    private static (HeadDefinition Head, HashSet<string> Tensors) ReadHead(JsonObject json, IReadOnlyDictionary<string, WeightTensor> tensors)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        WeightTensor Tensor(string? name) =>
            name is not null && tensors.TryGetValue(name, out var tensor) && used.Add(name)
                ? tensor
                : throw new InvalidDataException($"the head names tensor '{name}', which the file does not hold (or names twice).");

        var layers = json["layers"]?.AsArray().Select(layer =>
        {
            var weight = Tensor(layer?["weight"]?.GetValue<string>());
            var bias = Tensor(layer?["bias"]?.GetValue<string>());
            if (weight.Shape is not [var inputs, var outputs] || bias.Shape is not [var biasOutputs] || biasOutputs != outputs)
            {
                throw new InvalidDataException("a head layer's weight must be [inputs, outputs] and its bias [outputs].");
            }

            return new HeadLayer
            {
                Weights = [.. Enumerable.Range(0, (int)inputs).Select(i => weight.Values.AsSpan(i * (int)outputs, (int)outputs).ToArray())],
                Bias = bias.Values,
                Activation = Enum.Parse<HeadActivation>(layer?["activation"]?.GetValue<string>() ?? "none", ignoreCase: true),
            };
        }).ToArray() ?? [];

        var head = new HeadDefinition
        {
            Encoder = json["encoder"]?.GetValue<string>() ?? "",
            Pooling = Enum.Parse<PoolingMode>(json["pooling"]?.GetValue<string>() ?? "mean", ignoreCase: true),
            HiddenLayers = json["hidden_layers"]?.GetValue<int>() ?? 1,
            Normalize = json["normalize"]?.GetValue<bool>() ?? false,
            EmbeddingDim = json["embedding_dim"]?.GetValue<int>() ?? 0,
            LexiconFeatures = json["lexicon_features"]?.GetValue<string>(),
            Labels = json["labels"]?.AsArray().Select(l => l!.GetValue<string>()).ToArray() ?? [],
            Layers = layers,
            Temperature = json["temperature"]?.GetValue<float>() ?? 1f,
        };
        return (head, used);
    }

    private static ReferenceScore[] ReadReference(string json) =>
        JsonNode.Parse(json)?.AsArray().Select(row => new ReferenceScore(
            row?["text"]?.GetValue<string>() ?? throw new InvalidDataException("a reference row has no text."),
            row["probabilities"]?.AsArray().Select(p => p!.GetValue<float>()).ToArray() ?? throw new InvalidDataException("a reference row has no probabilities."))).ToArray()
        ?? [];
}
