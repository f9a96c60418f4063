using Scorer.Models.Accurate;

namespace Scorer.UnitTests.Accurate.Support;

/// <summary>
/// The composed graph's math written out in C#, from the encoder's raw token embeddings: pooling,
/// L2 normalisation, the head's layers, temperature and softmax (in double precision).
/// </summary>
internal static class ReferenceHead
{
    public static float[] Embedding(ReadOnlySpan<float> hidden, TokenBatch batch, int row, int dim, PoolingMode pooling, bool normalize)
    {
        var sequence = batch.SequenceLength;
        var pooled = new double[dim];
        if (pooling == PoolingMode.Cls)
        {
            for (var d = 0; d < dim; d++)
            {
                pooled[d] = hidden[(row * sequence) * dim + d];
            }
        }
        else
        {
            var count = 0.0;
            for (var s = 0; s < sequence; s++)
            {
                if (batch.AttentionMask[row * sequence + s] == 0)
                {
                    continue;
                }

                count++;
                for (var d = 0; d < dim; d++)
                {
                    pooled[d] += hidden[(row * sequence + s) * dim + d];
                }
            }

            for (var d = 0; d < dim; d++)
            {
                pooled[d] /= Math.Max(count, 1e-9);
            }
        }

        if (normalize)
        {
            var norm = Math.Max(Math.Sqrt(pooled.Sum(v => v * v)), 1e-12);
            for (var d = 0; d < dim; d++)
            {
                pooled[d] /= norm;
            }
        }

        return [.. pooled.Select(v => (float)v)];
    }

    public static double[] Probabilities(float[] embedding, HeadDefinition head, ReadOnlySpan<float> lexicon = default)
    {
        var x = embedding.Select(v => (double)v).Concat(lexicon.ToArray().Select(v => (double)v)).ToArray();
        Assert.Equal(head.InputDim, x.Length);
        foreach (var layer in head.Layers)
        {
            var y = layer.Bias.Select(b => (double)b).ToArray();
            for (var i = 0; i < layer.Inputs; i++)
            {
                for (var o = 0; o < layer.Outputs; o++)
                {
                    y[o] += x[i] * layer.Weights[i][o];
                }
            }

            if (layer.Activation == HeadActivation.Relu)
            {
                y = [.. y.Select(v => Math.Max(v, 0))];
            }

            x = y;
        }

        var scaled = x.Select(v => v / head.Temperature).ToArray();
        var max = scaled.Max();
        var exp = scaled.Select(v => Math.Exp(v - max)).ToArray();
        var total = exp.Sum();
        return [.. exp.Select(v => v / total)];
    }
}
