using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scorer.Models.Accurate;

namespace Scorer.Training;

/// <summary>Everything in a head file: the encoder it expects, the layers, the temperature, the provenance.</summary>
public sealed record HeadDocument(EncoderInfo Encoder, IReadOnlyList<string> Labels, HeadModel Head, double Temperature, TrainingProvenance? Training)
{
    public const int CurrentFormat = 1;
}

/// <summary>
/// Reads and writes the accurate model's head file (format 1), which the ONNX composer loads:
/// <code>
/// {"format":1,"encoder":"all-MiniLM-L6-v2","pooling":"mean","normalize":true,"embedding_dim":384,
///  "hidden_layers":4 (optional, default 1: how many last hidden states are averaged before pooling),
///  "lexicon_features":"vader" (optional: the head's input is the embedding followed by VADER's 4 scores),
///  "labels":["negative","neutral","positive"],
///  "layers":[{"weights":[[…out…] per input],"bias":[…],"activation":"relu"|"none"}, …],
///  "temperature":T,"training":{…}}
/// </code>
/// Weights are <c>[input][output]</c> (ONNX MatMul's B); logits = last layer's output; probabilities =
/// softmax(logits / T). Parameters keep 6 significant digits.
/// </summary>
public static class HeadFile
{
    public static async Task WriteAsync(string path, HeadDocument document, CancellationToken cancellationToken = default)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await WriteAsync(stream, document, cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteAsync(Stream stream, HeadDocument document, CancellationToken cancellationToken = default)
    {
        Validate(document);
        await using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteNumber("format", HeadDocument.CurrentFormat);
        writer.WriteString("encoder", document.Encoder.Name);
        writer.WriteString("pooling", document.Encoder.Pooling == PoolingMode.Cls ? "cls" : "mean");
        if (document.Encoder.HiddenLayers != 1)
        {
            writer.WriteNumber("hidden_layers", document.Encoder.HiddenLayers);
        }
        writer.WriteBoolean("normalize", document.Encoder.Normalize);
        writer.WriteNumber("embedding_dim", document.Encoder.Dimension);
        if (document.Encoder.LexiconFeatures is { Length: > 0 } lexicon)
        {
            writer.WriteString("lexicon_features", lexicon);
        }
        writer.WriteStartArray("labels");
        foreach (string label in document.Labels)
        {
            writer.WriteStringValue(label);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("layers");
        foreach (DenseLayer layer in document.Head.Layers)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("weights");
            for (int input = 0; input < layer.Inputs; input++)
            {
                writer.WriteStartArray();
                for (int output = 0; output < layer.Outputs; output++)
                {
                    CompactJson.WriteParameterValue(writer, layer.Weight(input, output));
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("bias");
            foreach (float bias in layer.Bias)
            {
                CompactJson.WriteParameterValue(writer, bias);
            }

            writer.WriteEndArray();
            writer.WriteString("activation", layer.Activation == LayerActivation.Relu ? "relu" : "none");
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("temperature");
        CompactJson.WriteParameterValue(writer, document.Temperature);
        if (document.Training is { } training)
        {
            WriteTraining(writer, training);
        }

        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<HeadDocument> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await ReadAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<HeadDocument> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        using JsonDocument json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        JsonElement root = json.RootElement;
        int format = root.GetProperty("format").GetInt32();
        if (format != HeadDocument.CurrentFormat)
        {
            throw new FormatException($"Head file format {format} is not supported (expected {HeadDocument.CurrentFormat}).");
        }

        var encoder = new EncoderInfo(
            root.GetProperty("encoder").GetString()!,
            root.GetProperty("pooling").GetString() switch
            {
                "mean" => PoolingMode.Mean,
                "cls" => PoolingMode.Cls,
                var other => throw new FormatException($"Unknown pooling '{other}'."),
            },
            root.GetProperty("normalize").GetBoolean(),
            root.GetProperty("embedding_dim").GetInt32(),
            root.TryGetProperty("lexicon_features", out JsonElement lexicon) && lexicon.ValueKind != JsonValueKind.Null ? lexicon.GetString() : null,
            root.TryGetProperty("hidden_layers", out JsonElement hiddenLayers) ? hiddenLayers.GetInt32() : 1);
        string[] labels = root.GetProperty("labels").EnumerateArray().Select(label => label.GetString()!).ToArray();
        var layers = new List<DenseLayer>();
        foreach (JsonElement layer in root.GetProperty("layers").EnumerateArray())
        {
            JsonElement[] rows = layer.GetProperty("weights").EnumerateArray().ToArray();
            float[] bias = layer.GetProperty("bias").EnumerateArray().Select(value => value.GetSingle()).ToArray();
            int inputs = rows.Length, outputs = bias.Length;
            var weights = new float[inputs * outputs];
            for (int input = 0; input < inputs; input++)
            {
                int output = 0;
                foreach (JsonElement value in rows[input].EnumerateArray())
                {
                    if (output >= outputs)
                    {
                        throw new FormatException($"Layer {layers.Count}, weight row {input} has more than {outputs} values.");
                    }

                    weights[output * inputs + input] = value.GetSingle();
                    output++;
                }

                if (output != outputs)
                {
                    throw new FormatException($"Layer {layers.Count}, weight row {input} has {output} values; the bias has {outputs}.");
                }
            }

            LayerActivation activation = layer.GetProperty("activation").GetString() switch
            {
                "relu" => LayerActivation.Relu,
                "none" => LayerActivation.None,
                var other => throw new FormatException($"Unknown activation '{other}'."),
            };
            layers.Add(new DenseLayer(inputs, outputs, weights, bias, activation));
        }

        TrainingProvenance? training = root.TryGetProperty("training", out JsonElement t) ? ReadTraining(t) : null;
        var document = new HeadDocument(encoder, labels, new HeadModel(layers), root.GetProperty("temperature").GetDouble(), training);
        Validate(document);
        return document;
    }

    private static void Validate(HeadDocument document)
    {
        HeadModel head = document.Head;
        if (document.Encoder.HiddenLayers < 1)
        {
            throw new FormatException($"hidden_layers must be at least 1, not {document.Encoder.HiddenLayers}.");
        }

        if (!Models.Accurate.LexiconFeatures.IsKnown(document.Encoder.LexiconFeatures))
        {
            throw new FormatException($"Unknown lexicon features '{document.Encoder.LexiconFeatures}'.");
        }

        if (head.Inputs != document.Encoder.InputDimension)
        {
            throw new FormatException($"The head takes {head.Inputs} inputs but the encoder and lexicon features give {document.Encoder.InputDimension}.");
        }

        if (head.Classes != document.Labels.Count)
        {
            throw new FormatException($"The head gives {head.Classes} logits for {document.Labels.Count} labels.");
        }

        if (!(document.Temperature > 0) || !double.IsFinite(document.Temperature))
        {
            throw new FormatException($"The temperature must be positive, not {document.Temperature}.");
        }
    }

    private static void WriteTraining(Utf8JsonWriter writer, TrainingProvenance training)
    {
        writer.WriteStartObject("training");
        writer.WriteString("train_sha256", training.TrainSha256);
        writer.WriteString("dev_sha256", training.DevSha256);
        writer.WriteNumber("train_rows", training.TrainRows);
        writer.WriteNumber("dev_rows", training.DevRows);
        writer.WriteStartObject("excluded_rows");
        foreach ((string split, IReadOnlyDictionary<string, int> reasons) in training.ExcludedRows)
        {
            writer.WriteStartObject(split);
            foreach ((string reason, int count) in reasons)
            {
                writer.WriteNumber(reason, count);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WritePropertyName("hyperparameters");
        training.Hyperparameters.WriteTo(writer);
        writer.WritePropertyName("dev_metrics");
        training.DevMetrics.WriteTo(writer);
        CompactJson.WriteMetric(writer, "ece_before", training.EceBefore);
        CompactJson.WriteMetric(writer, "ece_after", training.EceAfter);
        writer.WriteString("date", training.Date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("command", training.Command);
        writer.WriteEndObject();
    }

    private static TrainingProvenance ReadTraining(JsonElement t) => new()
    {
        TrainSha256 = t.GetProperty("train_sha256").GetString()!,
        DevSha256 = t.GetProperty("dev_sha256").GetString()!,
        TrainRows = t.GetProperty("train_rows").GetInt32(),
        DevRows = t.TryGetProperty("dev_rows", out JsonElement devRows) ? devRows.GetInt32() : 0,
        ExcludedRows = t.GetProperty("excluded_rows").EnumerateObject().ToDictionary(
            split => split.Name,
            split => (IReadOnlyDictionary<string, int>)split.Value.EnumerateObject().ToDictionary(reason => reason.Name, reason => reason.Value.GetInt32())),
        Hyperparameters = JsonNode.Parse(t.GetProperty("hyperparameters").GetRawText())!.AsObject(),
        DevMetrics = JsonNode.Parse(t.GetProperty("dev_metrics").GetRawText())!.AsObject(),
        EceBefore = t.GetProperty("ece_before").GetDouble(),
        EceAfter = t.GetProperty("ece_after").GetDouble(),
        Date = DateTimeOffset.Parse(t.GetProperty("date").GetString()!, CultureInfo.InvariantCulture),
        Command = t.GetProperty("command").GetString()!,
    };
}
