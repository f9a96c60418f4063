using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Scorer.UnitTests.Accurate.Support;

/// <summary>Small hand-built ONNX graphs: fast sessions for quantizer and device tests.</summary>
internal static class TinyModels
{
    /// <summary>y = relu(x · W1 + b1) · W2 (+ W1 shared by a second MatMul reading y1) with x [batch, 8].</summary>
    public static ModelProto Dense(int seed, out float[] w1, out float[] b1, out float[] w2)
    {
        var random = new Random(seed);
        w1 = [.. Enumerable.Range(0, 8 * 6).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        b1 = [.. Enumerable.Range(0, 6).Select(_ => (float)(random.NextDouble() - 0.5))];
        w2 = [.. Enumerable.Range(0, 6 * 3).Select(_ => (float)(random.NextDouble() * 2 - 1))];

        var graph = new GraphProto { Name = "tiny" };
        graph.Input.Add(Value("x", "batch", 8));
        graph.Output.Add(Value("y", "batch", 3));
        graph.Initializer.Add(Tensor("w1", w1, 8, 6));
        graph.Initializer.Add(Tensor("b1", b1, 6));
        graph.Initializer.Add(Tensor("w2", w2, 6, 3));
        graph.Node.Add(Node("MatMul", "mm1", ["x", "w1"], "h"));
        graph.Node.Add(Node("Add", "add1", ["h", "b1"], "hb"));
        graph.Node.Add(Node("Relu", "relu1", ["hb"], "r"));
        graph.Node.Add(Node("MatMul", "mm2", ["r", "w2"], "y"));

        var model = new ModelProto { IrVersion = 7, Graph = graph, ProducerName = "tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }

    public static float[] Reference(float[] x, int batch, float[] w1, float[] b1, float[] w2)
    {
        var y = new float[batch * 3];
        for (var n = 0; n < batch; n++)
        {
            var h = new double[6];
            for (var j = 0; j < 6; j++)
            {
                h[j] = b1[j];
                for (var i = 0; i < 8; i++)
                {
                    h[j] += x[n * 8 + i] * w1[i * 6 + j];
                }

                h[j] = Math.Max(h[j], 0);
            }

            for (var k = 0; k < 3; k++)
            {
                var sum = 0.0;
                for (var j = 0; j < 6; j++)
                {
                    sum += h[j] * w2[j * 3 + k];
                }

                y[n * 3 + k] = (float)sum;
            }
        }

        return y;
    }

    private static ValueInfoProto Value(string name, string batch, long width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batch });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorProto Tensor(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
