using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Scorer.Models.Accurate;

/// <summary>Writes fine-tuned tensors into an encoder graph in place of its pretrained initializers.</summary>
public static class EncoderWeights
{
    /// <summary>
    /// A copy of <paramref name="encoder"/> whose initializers named in <paramref name="tensors"/> hold those values
    /// instead. Every tensor must name an fp32 initializer of the same shape: weights meant for another graph
    /// fail here rather than run.
    /// </summary>
    public static ModelProto Apply(ModelProto encoder, IReadOnlyDictionary<string, WeightTensor> tensors)
    {
        // Initializer bytes are immutable ByteStrings: the clone shares those it does not replace.
        var model = encoder.Clone();
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (!initializers.TryGetValue(name, out var initializer))
            {
                throw new InvalidDataException($"The weights hold tensor '{name}', which the encoder graph does not have.");
            }

            if (initializer.DataType != (int)TensorProto.Types.DataType.Float || !initializer.Dims.SequenceEqual(tensor.Shape))
            {
                throw new InvalidDataException(
                    $"The weights' tensor '{name}' is [{string.Join(", ", tensor.Shape)}]; the encoder's is a " +
                    $"{(TensorProto.Types.DataType)initializer.DataType} [{string.Join(", ", initializer.Dims)}].");
            }

            initializer.FloatData.Clear();
            initializer.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(tensor.Values.AsSpan()));
        }

        return model;
    }
}
