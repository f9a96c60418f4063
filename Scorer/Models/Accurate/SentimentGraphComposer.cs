using Onnx;
using static Scorer.Models.Accurate.OnnxGraphEditor;

namespace Scorer.Models.Accurate;

/// <summary>
/// Builds the one ONNX graph the accurate model runs: the encoder, the average of its last hidden states where the
/// head asks for more than one, then pooling (masked mean or [CLS]),
/// L2 normalisation, the head's dense layers, division by the temperature and a softmax. The result has the
/// encoder's inputs (and <see cref="LexiconFeatures.InputName"/> [batch, 4] when the head reads lexicon features,
/// which are concatenated after the embedding) and two outputs, <see cref="ProbabilitiesOutput"/> [batch, labels] and
/// <see cref="EmbeddingOutput"/> [batch, dim] (the sentence embedding the head reads).
/// The appended nodes use the encoder's own opset; the encoder's other outputs (e.g. a BERT pooler) are dropped.
/// </summary>
public static class SentimentGraphComposer
{
    public const string ProbabilitiesOutput = "probabilities";
    public const string EmbeddingOutput = "embedding";

    /// <summary>Names of every node and initializer appended here start with this.</summary>
    public const string NodePrefix = "accurate/";

    /// <summary>Names of the head's nodes and initializers start with this.</summary>
    public const string HeadPrefix = NodePrefix + "head/";

    /// <summary>sentence-transformers clamps the token count of mean pooling at 1e-9.</summary>
    private const float MinTokenCount = 1e-9f;

    /// <summary>torch.nn.functional.normalize divides by max(norm, 1e-12).</summary>
    private const float MinNorm = 1e-12f;

    /// <summary>The encoder with <paramref name="head"/> on top: outputs probabilities and embedding.</summary>
    public static ModelProto Compose(ModelProto encoder, HeadDefinition head)
    {
        head.Validated();
        var (model, editor, signature) = Start(encoder);
        var embedding = AppendEmbedding(editor, signature, head.Pooling, head.Normalize, head.EmbeddingDim, head.HiddenLayers);

        var x = embedding;
        if (LexiconFeatures.CountOf(head.LexiconFeatures) is var extra and > 0)
        {
            model.Graph.Input.Add(FloatTensor(LexiconFeatures.InputName, Dim(signature.BatchDimension), Dim(extra)));
            x = editor.Node("Concat", "head/input", [embedding, LexiconFeatures.InputName], [Int("axis", 1)]);
        }

        for (var l = 0; l < head.Layers.Length; l++)
        {
            var layer = head.Layers[l];
            var weights = new float[layer.Inputs * layer.Outputs];
            for (var i = 0; i < layer.Inputs; i++)
            {
                layer.Weights[i].CopyTo(weights, i * layer.Outputs);
            }

            var name = $"head/{l}";
            var w = editor.Floats($"{name}/weight", weights, layer.Inputs, layer.Outputs);
            var b = editor.Floats($"{name}/bias", layer.Bias, layer.Outputs);
            x = editor.Node("MatMul", $"{name}/matmul", [x, w]);
            x = editor.Node("Add", $"{name}/linear", [x, b]);
            if (layer.Activation == HeadActivation.Relu)
            {
                x = editor.Node("Relu", $"{name}/relu", [x]);
            }
        }

        var temperature = editor.Floats("head/temperature", [head.Temperature]);
        var scaled = editor.Node("Div", "head/scaled_logits", [x, temperature]);
        editor.Node("Softmax", ProbabilitiesOutput, [scaled], [Int("axis", -1)], exactOutput: true);

        return Finish(model,
            FloatTensor(ProbabilitiesOutput, Dim(signature.BatchDimension), Dim(head.Labels.Length)),
            FloatTensor(EmbeddingOutput, Dim(signature.BatchDimension), Dim(head.EmbeddingDim)));
    }

    private static (ModelProto Model, OnnxGraphEditor Editor, EncoderSignature Signature) Start(ModelProto encoder)
    {
        // Initializer bytes are immutable ByteStrings: the clone shares them, so this is cheap.
        var model = encoder.Clone();
        var signature = EncoderSignature.Detect(model);
        var hidden = model.Graph.Output.First(o => o.Name == signature.TokenEmbeddings);
        var width = hidden.Type.TensorType.Shape.Dim[2];
        model.Graph.Output.Clear();
        return (model, new OnnxGraphEditor(model, NodePrefix) { HiddenWidth = width.HasDimValue ? width.DimValue : null }, signature);
    }

    private static string AppendEmbedding(OnnxGraphEditor editor, EncoderSignature signature, PoolingMode pooling, bool normalize, int dim, int hiddenLayers)
    {
        if (editor.HiddenWidth is long width && width != dim)
        {
            throw new InvalidDataException($"The encoder's token embeddings have {width} dimensions, the head expects {dim}.");
        }

        var hidden = signature.TokenEmbeddings;
        if (hiddenLayers > 1)
        {
            var states = signature.HiddenStates(editor.Graph);
            if (states.Count < hiddenLayers)
            {
                throw new InvalidDataException($"The head averages the last {hiddenLayers} hidden states; the encoder has {states.Count}.");
            }

            var sum = editor.Node("Sum", "pool/layers_sum", states.Skip(states.Count - hiddenLayers));
            hidden = editor.Node("Div", "pool/layers_mean", [sum, editor.Floats("pool/layer_count", [hiddenLayers])]);
        }

        string pooled;
        if (pooling == PoolingMode.Cls)
        {
            var first = editor.Longs("pool/cls_index", [0L]);
            pooled = editor.Node("Gather", "pool/cls", [hidden, first], [Int("axis", 1)]);
        }
        else
        {
            var mask = editor.Node("Cast", "pool/mask", [signature.AttentionMask], [Int("to", (long)TensorProto.Types.DataType.Float)]);
            var mask3 = editor.Unsqueeze(mask, 2, "pool/mask3");
            var masked = editor.Node("Mul", "pool/masked", [hidden, mask3]);
            var sum = editor.ReduceSum(masked, 1, keepDims: false, "pool/sum");
            var count = editor.ReduceSum(mask, 1, keepDims: true, "pool/count");
            var clamped = editor.Node("Max", "pool/count_clamped", [count, editor.Floats("pool/min_count", [MinTokenCount])]);
            pooled = editor.Node("Div", "pool/mean", [sum, clamped]);
        }

        if (!normalize)
        {
            return editor.Node("Identity", EmbeddingOutput, [pooled], exactOutput: true);
        }

        var squares = editor.Node("Mul", "norm/squares", [pooled, pooled]);
        var sumSquares = editor.ReduceSum(squares, 1, keepDims: true, "norm/sum_squares");
        var norm = editor.Node("Sqrt", "norm/norm", [sumSquares]);
        var clampedNorm = editor.Node("Max", "norm/norm_clamped", [norm, editor.Floats("norm/min_norm", [MinNorm])]);
        return editor.Node("Div", EmbeddingOutput, [pooled, clampedNorm], exactOutput: true);
    }

    private static ModelProto Finish(ModelProto model, params ValueInfoProto[] outputs)
    {
        model.Graph.Output.AddRange(outputs);
        Prune(model.Graph);
        return model;
    }
}
