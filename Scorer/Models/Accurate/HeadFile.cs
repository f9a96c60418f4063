using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scorer.Models.Accurate;

/// <summary>
/// The head file (format 1): its one reader and writer, used by the served model and the trainer alike.
/// <code>
/// {"format":1,"encoder":"all-MiniLM-L6-v2","pooling":"mean"|"cls","hidden_layers":4,"normalize":true,"embedding_dim":384,
///  "lexicon_features":"vader","labels":["negative","neutral","positive"],
///  "layers":[{"weights":[[…out…] per input],"bias":[…],"activation":"relu"|"none"}, …],
///  "temperature":T,"training":{…}}
/// </code>
/// <c>hidden_layers</c> (default 1) and <c>lexicon_features</c> (default none) are optional and written only when
/// they differ from the default; <see cref="HeadDefinition"/> says what each field means. Weights are
/// <c>[input][output]</c> (ONNX MatMul's B). Parameters are written at 6 significant digits, which keeps a
/// 388 → 256 → 3 head around 1 MB; any JSON number reads.
/// </summary>
public static class HeadFile
{
    /// <summary>The file's names and enum spellings; <see cref="HeadDefinition.Hash8"/> hashes with them too.</summary>
    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>Reads and validates a head file; any problem is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static HeadDefinition Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Load(stream);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"The head file {path} is not valid: {e.Message}", e);
        }
    }

    public static HeadDefinition Load(Stream json) =>
        (JsonSerializer.Deserialize<HeadDefinition>(json, JsonOptions) ?? throw new InvalidDataException("The head file is empty."))
        .Validated();

    public static HeadDefinition Parse(string json) =>
        (JsonSerializer.Deserialize<HeadDefinition>(json, JsonOptions) ?? throw new InvalidDataException("The head JSON is empty."))
        .Validated();

    /// <summary>Validates <paramref name="head"/> and writes it to <paramref name="path"/>, creating the folder.</summary>
    public static async Task WriteAsync(string path, HeadDefinition head, CancellationToken cancellationToken = default)
    {
        head.Validated();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await WriteAsync(stream, head, cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteAsync(Stream stream, HeadDefinition head, CancellationToken cancellationToken = default)
    {
        head.Validated();
        await using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteNumber("format", head.Format);
        writer.WriteString("encoder", head.Encoder);
        writer.WriteString("pooling", Name(head.Pooling));
        if (head.HiddenLayers != 1)
        {
            writer.WriteNumber("hidden_layers", head.HiddenLayers);
        }

        writer.WriteBoolean("normalize", head.Normalize);
        writer.WriteNumber("embedding_dim", head.EmbeddingDim);
        if (head.LexiconFeatures is { Length: > 0 } lexicon)
        {
            writer.WriteString("lexicon_features", lexicon);
        }

        writer.WriteStartArray("labels");
        foreach (var label in head.Labels)
        {
            writer.WriteStringValue(label);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("layers");
        foreach (var layer in head.Layers)
        {
            WriteLayer(writer, layer);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("temperature");
        WriteParameter(writer, head.Temperature);
        if (head.Training is { } training)
        {
            writer.WritePropertyName("training");
            training.WriteTo(writer);
        }

        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void WriteLayer(Utf8JsonWriter writer, HeadLayer layer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("weights");
        foreach (var row in layer.Weights)
        {
            writer.WriteStartArray();
            foreach (var weight in row)
            {
                WriteParameter(writer, weight);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("bias");
        foreach (var bias in layer.Bias)
        {
            WriteParameter(writer, bias);
        }

        writer.WriteEndArray();
        writer.WriteString("activation", Name(layer.Activation));
        writer.WriteEndObject();
    }

    /// <summary>"G6": validation has ruled out NaN and infinities, which JSON cannot hold.</summary>
    private static void WriteParameter(Utf8JsonWriter writer, double value) =>
        writer.WriteRawValue(value.ToString("G6", CultureInfo.InvariantCulture), skipInputValidation: true);

    /// <summary>An enum value as the reader's converter spells it: <c>mean</c>, <c>cls</c>, <c>relu</c>, <c>none</c>.</summary>
    private static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
