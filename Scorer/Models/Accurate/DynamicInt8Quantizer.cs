using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Scorer.Models.Accurate;

/// <summary>
/// Dynamic int8 quantization of an ONNX graph: each MatMul whose B input is a constant 2-D float initializer
/// becomes a com.microsoft <c>DynamicQuantizeMatMul</c> with 8-bit weights, symmetric per output column
/// (scale = max|w| / 127); activations are quantized by ONNX Runtime at run time. A bias Add that only
/// follows the MatMul is folded into the node. Everything else stays fp32.
/// </summary>
/// <remarks>
/// The weights are stored as uint8 with zero point 128 (q + 128), not as int8 with zero point 0: the same
/// values, but ONNX Runtime then multiplies uint8 activations by uint8 weights. Its uint8 x int8 kernel on
/// x64 CPUs without VNNI uses VPMADDUBSW, which adds pairs of products into int16 and saturates
/// (2 x 255 x 127 does not fit), giving wrong results there: seen on an AVX2-only AMD EPYC, embeddings off
/// by a cosine of 0.02 and a tiny graph's output doubled. The uint8 x uint8 kernel widens before it multiplies.
/// </remarks>
public static class DynamicInt8Quantizer
{
    public const string MicrosoftDomain = "com.microsoft";
    public const string QuantizedOp = "DynamicQuantizeMatMul";

    /// <summary>The stored weight is q + 128 for the symmetric int8 value q (see the remarks).</summary>
    public const int UnsignedZeroPoint = 128;

    /// <summary>Returns a quantized copy of <paramref name="model"/>.</summary>
    /// <param name="model">An fp32 model; left as it is.</param>
    /// <param name="include">Which eligible MatMuls to quantize; all when null.</param>
    /// <returns>The copy, and how many MatMuls it quantized.</returns>
    public static (ModelProto Model, int Quantized) Quantize(ModelProto model, Func<NodeProto, bool>? include = null)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this machine is not.");
        }

        var quantized = model.Clone();
        var graph = quantized.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var consumers = graph.Node
            .SelectMany(n => n.Input.Where(i => i.Length > 0).Select(i => (Input: i, Node: n)))
            .ToLookup(x => x.Input, x => x.Node, StringComparer.Ordinal);
        var weightsByName = new Dictionary<string, (string Weights, string Scale, string ZeroPoint)>(StringComparer.Ordinal);
        var removed = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var count = 0;

        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType != "MatMul" || node.Domain is not ("" or "ai.onnx") || node.Input.Count != 2
                || !initializers.TryGetValue(node.Input[1], out var b)
                || b.DataType != (int)TensorProto.Types.DataType.Float || b.Dims.Count != 2
                || (include is not null && !include(node)))
            {
                continue;
            }

            if (!weightsByName.TryGetValue(b.Name, out var q))
            {
                q = AddQuantizedWeights(graph, b);
                weightsByName[b.Name] = q;
            }

            var replacement = new NodeProto
            {
                Name = node.Name.Length > 0 ? node.Name + "_quant" : "",
                OpType = QuantizedOp,
                Domain = MicrosoftDomain,
                Input = { node.Input[0], q.Weights, q.Scale, q.ZeroPoint },
                Output = { node.Output[0] },
            };

            if (FoldableBias(node, b.Dims[1], consumers, initializers, graphOutputs) is (NodeProto add, string bias))
            {
                replacement.Input.Add(bias);
                replacement.Output[0] = add.Output[0];
                removed.Add(add);
            }

            graph.Node[i] = replacement;
            count++;
        }

        if (count == 0)
        {
            return (quantized, 0);
        }

        var nodes = graph.Node.Where(n => !removed.Contains(n)).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(nodes);

        // The float weights go where nothing reads them any more.
        var used = graph.Node.SelectMany(n => n.Input).Concat(graphOutputs).ToHashSet(StringComparer.Ordinal);
        var keep = graph.Initializer.Where(t => used.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(keep);
        var produced = graph.Node.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        var valueInfo = graph.ValueInfo.Where(v => produced.Contains(v.Name)).ToList();
        graph.ValueInfo.Clear();
        graph.ValueInfo.AddRange(valueInfo);

        if (!quantized.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
        {
            quantized.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        return (quantized, count);
    }

    /// <summary>Symmetric per-column int8 weights: q = round(w / scale), scale = max|w[:, n]| / 127.</summary>
    internal static (sbyte[] Weights, float[] Scales) QuantizeColumns(ReadOnlySpan<float> weights, int rows, int columns)
    {
        var scales = new float[columns];
        for (var r = 0; r < rows; r++)
        {
            var row = weights.Slice(r * columns, columns);
            for (var c = 0; c < columns; c++)
            {
                scales[c] = Math.Max(scales[c], Math.Abs(row[c]));
            }
        }

        for (var c = 0; c < columns; c++)
        {
            // An all-zero column quantizes to zeros under any scale; 1 keeps it finite.
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        }

        var q = new sbyte[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var value = MathF.Round(weights[r * columns + c] / scales[c], MidpointRounding.ToEven);
                q[r * columns + c] = (sbyte)Math.Clamp(value, -127f, 127f);
            }
        }

        return (q, scales);
    }

    private static (string Weights, string Scale, string ZeroPoint) AddQuantizedWeights(GraphProto graph, TensorProto b)
    {
        var rows = checked((int)b.Dims[0]);
        var columns = checked((int)b.Dims[1]);
        var floats = ReadFloats(b);
        if (floats.Length != rows * columns)
        {
            throw new InvalidDataException($"Initializer {b.Name} holds {floats.Length} values, its shape says {rows}x{columns}.");
        }

        var (weights, scales) = QuantizeColumns(floats, rows, columns);
        var unsigned = new byte[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            unsigned[i] = (byte)(weights[i] + UnsignedZeroPoint);
        }

        var zeroPoints = new byte[columns];
        Array.Fill(zeroPoints, (byte)UnsignedZeroPoint);
        var qName = Add(graph, b.Name + "_quantized", TensorProto.Types.DataType.Uint8, unsigned, rows, columns);
        var scaleName = Add(graph, b.Name + "_scale", TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(scales.AsSpan()), columns);
        var zeroName = Add(graph, b.Name + "_zero_point", TensorProto.Types.DataType.Uint8, zeroPoints, columns);
        return (qName, scaleName, zeroName);
    }

    private static (NodeProto Add, string Bias)? FoldableBias(
        NodeProto matMul, long columns, ILookup<string, NodeProto> consumers,
        Dictionary<string, TensorProto> initializers, HashSet<string> graphOutputs)
    {
        var output = matMul.Output[0];
        var readers = consumers[output].ToList();
        if (graphOutputs.Contains(output) || readers.Count != 1)
        {
            return null;
        }

        var add = readers[0];
        if (add.OpType != "Add" || add.Domain is not ("" or "ai.onnx") || add.Input.Count != 2 || add.Input[0] == add.Input[1])
        {
            return null;
        }

        var other = add.Input[0] == output ? add.Input[1] : add.Input[0];
        return initializers.TryGetValue(other, out var bias)
            && bias.DataType == (int)TensorProto.Types.DataType.Float
            && bias.Dims.Count == 1 && bias.Dims[0] == columns
                ? (add, other)
                : null;
    }

    private static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException($"Initializer {tensor.Name} keeps its data in an external file.");
        }

        return tensor.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
            : [.. tensor.FloatData];
    }

    private static string Add(GraphProto graph, string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> data, params long[] dims)
    {
        var taken = OnnxGraphEditor.TensorNames(graph).ToHashSet(StringComparer.Ordinal);
        var unique = name;
        for (var i = 1; taken.Contains(unique); i++)
        {
            unique = $"{name}_{i}";
        }

        name = unique;

        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return name;
    }
}
