using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ModelTools.Preparation;

/// <summary>
/// Writes NumPy's <c>.npy</c> format (version 1.0): the magic string, a header naming dtype, order and shape,
/// then the little-endian values row-major. numpy.load reads it directly, which is how the PyTorch trainer
/// takes the arrays this tool prepares.
/// </summary>
public static class NpyWriter
{
    /// <summary>\x93NUMPY and format version 1.0.</summary>
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    public static void Write(string path, ReadOnlySpan<int> values, params long[] shape) => Write(path, "<i4", MemoryMarshal.AsBytes(values), values.Length, shape);

    public static void Write(string path, ReadOnlySpan<long> values, params long[] shape) => Write(path, "<i8", MemoryMarshal.AsBytes(values), values.Length, shape);

    public static void Write(string path, ReadOnlySpan<float> values, params long[] shape) => Write(path, "<f4", MemoryMarshal.AsBytes(values), values.Length, shape);

    public static void Write(string path, ReadOnlySpan<sbyte> values, params long[] shape) => Write(path, "|i1", MemoryMarshal.AsBytes(values), values.Length, shape);

    private static void Write(string path, string dtype, ReadOnlySpan<byte> data, int count, long[] shape)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The .npy files are written little-endian.");
        }

        shape = shape.Length == 0 ? [count] : shape;
        if (shape.Aggregate(1L, (a, b) => a * b) != count)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) does not hold {count} values.", nameof(shape));
        }

        var dims = shape.Length == 1
            ? $"({shape[0].ToString(CultureInfo.InvariantCulture)},)"
            : $"({string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))})";
        var header = $"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {dims}, }}";

        // Magic (6) + version (2) + header length (2) + header + padding + '\n' is a multiple of 64.
        var unpadded = 10 + header.Length + 1;
        header += new string(' ', (64 - unpadded % 64) % 64) + "\n";

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        stream.Write(Magic);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
    }
}
