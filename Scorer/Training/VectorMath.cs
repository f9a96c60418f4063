using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scorer.Training;

/// <summary>
/// The two kernels training spends its time in, on <see cref="Vector{T}"/> (inbox; System.Numerics.Tensors
/// is a separate package in net10.0 and is not needed for two loops). Summation order is fixed, so results
/// are reproducible on a given machine; a machine with a different vector width may differ in the last bits.
/// </summary>
internal static class VectorMath
{
    /// <summary>Σ x[i]·y[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("Spans differ in length.", nameof(y));
        }

        int width = Vector<float>.Count;
        int i = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated && x.Length >= width)
        {
            ref float xr = ref MemoryMarshal.GetReference(x);
            ref float yr = ref MemoryMarshal.GetReference(y);
            Vector<float> a0 = Vector<float>.Zero, a1 = Vector<float>.Zero, a2 = Vector<float>.Zero, a3 = Vector<float>.Zero;
            for (; i <= x.Length - 4 * width; i += 4 * width)
            {
                a0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref xr, (nuint)i), Vector.LoadUnsafe(ref yr, (nuint)i), a0);
                a1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref xr, (nuint)(i + width)), Vector.LoadUnsafe(ref yr, (nuint)(i + width)), a1);
                a2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref xr, (nuint)(i + 2 * width)), Vector.LoadUnsafe(ref yr, (nuint)(i + 2 * width)), a2);
                a3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref xr, (nuint)(i + 3 * width)), Vector.LoadUnsafe(ref yr, (nuint)(i + 3 * width)), a3);
            }

            for (; i <= x.Length - width; i += width)
            {
                a0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref xr, (nuint)i), Vector.LoadUnsafe(ref yr, (nuint)i), a0);
            }

            sum = Vector.Sum((a0 + a1) + (a2 + a3));
        }

        for (; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>y += a·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("Spans differ in length.", nameof(y));
        }

        int width = Vector<float>.Count;
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= width)
        {
            ref float xr = ref MemoryMarshal.GetReference(x);
            ref float yr = ref MemoryMarshal.GetReference(y);
            var scale = new Vector<float>(a);
            for (; i <= x.Length - width; i += width)
            {
                Vector.FusedMultiplyAdd(scale, Vector.LoadUnsafe(ref xr, (nuint)i), Vector.LoadUnsafe(ref yr, (nuint)i))
                    .StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    /// <summary>Turns <paramref name="logits"/> into probabilities in place; returns log Σ exp(logits).</summary>
    public static double SoftmaxInPlace(Span<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float z in logits)
        {
            max = MathF.Max(max, z);
        }

        double sum = 0;
        for (int k = 0; k < logits.Length; k++)
        {
            float e = MathF.Exp(logits[k] - max);
            logits[k] = e;
            sum += e;
        }

        float inverse = (float)(1.0 / sum);
        for (int k = 0; k < logits.Length; k++)
        {
            logits[k] *= inverse;
        }

        return max + Math.Log(sum);
    }
}
