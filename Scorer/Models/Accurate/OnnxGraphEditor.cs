using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Scorer.Models.Accurate;

/// <summary>
/// Appends nodes and initializers to an ONNX graph, in the form the graph's default-domain opset expects
/// (Unsqueeze and ReduceSum took their axes as attributes before opset 13 and as inputs since).
/// </summary>
internal sealed class OnnxGraphEditor
{
    private readonly HashSet<string> _names;

    public OnnxGraphEditor(ModelProto model, string prefix)
    {
        Graph = model.Graph;
        Prefix = prefix;
        Opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version
            ?? throw new InvalidDataException("The model imports no default-domain opset.");
        if (Opset < 11)
        {
            throw new NotSupportedException($"Opset {Opset} is too old; the encoder must use opset 11 or newer.");
        }

        _names = [.. TensorNames(Graph)];
    }

    public GraphProto Graph { get; }

    public string Prefix { get; }

    public long Opset { get; }

    /// <summary>The encoder's embedding width where its graph states it.</summary>
    public long? HiddenWidth { get; init; }

    /// <summary>Every tensor name the graph defines or uses.</summary>
    public static IEnumerable<string> TensorNames(GraphProto graph) =>
        graph.Input.Select(i => i.Name)
            .Concat(graph.Initializer.Select(t => t.Name))
            .Concat(graph.Node.SelectMany(n => n.Input.Concat(n.Output)))
            .Concat(graph.Output.Select(o => o.Name))
            .Where(n => n.Length > 0);

    public string Unique(string name)
    {
        var candidate = name;
        for (var i = 1; !_names.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return candidate;
    }

    public string Floats(string name, ReadOnlySpan<float> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), dims);

    public string Longs(string name, ReadOnlySpan<long> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), dims);

    public string AddInitializer(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> littleEndian, params long[] dims)
    {
        var tensor = new TensorProto { Name = Unique(Prefix + name), DataType = (int)type, RawData = ByteString.CopyFrom(littleEndian) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Appends a node with one output named after <paramref name="output"/> (prefixed unless exact).</summary>
    public string Node(string opType, string output, IEnumerable<string> inputs, IEnumerable<AttributeProto>? attributes = null, bool exactOutput = false)
    {
        var outputName = exactOutput ? output : Unique(Prefix + output);
        if (exactOutput && !_names.Add(outputName))
        {
            throw new InvalidDataException($"The graph already has a tensor named {outputName}.");
        }

        var node = new NodeProto { OpType = opType, Name = Unique(Prefix + output + "/" + opType) };
        node.Input.AddRange(inputs);
        node.Output.Add(outputName);
        if (attributes is not null)
        {
            node.Attribute.AddRange(attributes);
        }

        Graph.Node.Add(node);
        return outputName;
    }

    public string Unsqueeze(string input, long axis, string output) =>
        Opset >= 13
            ? Node("Unsqueeze", output, [input, Longs(output + "/axes", [axis], 1)])
            : Node("Unsqueeze", output, [input], [Ints("axes", axis)]);

    public string ReduceSum(string input, long axis, bool keepDims, string output) =>
        Opset >= 13
            ? Node("ReduceSum", output, [input, Longs(output + "/axes", [axis], 1)], [Int("keepdims", keepDims ? 1 : 0)])
            : Node("ReduceSum", output, [input], [Ints("axes", axis), Int("keepdims", keepDims ? 1 : 0)]);

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static ValueInfoProto FloatTensor(string name, params TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    public static TensorShapeProto.Types.Dimension Dim(string param) => new() { DimParam = param };

    public static TensorShapeProto.Types.Dimension Dim(long value) => new() { DimValue = value };

    /// <summary>Drops the nodes, initializers and value infos no graph output depends on (e.g. a pooler output).</summary>
    public static void Prune(GraphProto graph)
    {
        var needed = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var kept = new List<NodeProto>(graph.Node.Count);
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains))
            {
                continue;
            }

            kept.Add(node);
            needed.UnionWith(node.Input.Where(n => n.Length > 0));
            needed.UnionWith(node.Attribute.SelectMany(a => a.Graphs.Append(a.G)).Where(g => g is not null).SelectMany(OuterScopeNames));
        }

        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);

        var initializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);

        var valueInfo = graph.ValueInfo.Where(v => needed.Contains(v.Name)).ToList();
        graph.ValueInfo.Clear();
        graph.ValueInfo.AddRange(valueInfo);
    }

    private static IEnumerable<string> OuterScopeNames(GraphProto subgraph) =>
        subgraph.Node.SelectMany(n => n.Input.Concat(n.Attribute.SelectMany(a => a.Graphs.Append(a.G)).Where(g => g is not null).SelectMany(OuterScopeNames)));
}
