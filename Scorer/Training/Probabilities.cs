namespace Scorer.Training;

/// <summary>Softmax, argmax and log-loss over rows of logits or probabilities.</summary>
public static class Probabilities
{
    /// <summary>softmax(logits / temperature) per row, as a new matrix.</summary>
    public static FeatureMatrix FromLogits(FeatureMatrix logits, double temperature = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        var probabilities = new FeatureMatrix(logits.Rows, logits.Columns);
        float inverse = (float)(1.0 / temperature);
        for (int row = 0; row < logits.Rows; row++)
        {
            Span<float> target = probabilities.Row(row);
            ReadOnlySpan<float> source = logits.Row(row);
            for (int k = 0; k < source.Length; k++)
            {
                target[k] = source[k] * inverse;
            }

            VectorMath.SoftmaxInPlace(target);
        }

        return probabilities;
    }

    /// <summary>Index of the largest value in each row (the first on ties).</summary>
    public static int[] ArgMax(FeatureMatrix scores)
    {
        var result = new int[scores.Rows];
        for (int row = 0; row < scores.Rows; row++)
        {
            ReadOnlySpan<float> values = scores.Row(row);
            int best = 0;
            for (int k = 1; k < values.Length; k++)
            {
                if (values[k] > values[best])
                {
                    best = k;
                }
            }

            result[row] = best;
        }

        return result;
    }

    /// <summary>Mean negative log-likelihood of <paramref name="labels"/> under softmax(logits / temperature).</summary>
    public static double NegativeLogLikelihood(FeatureMatrix logits, ReadOnlySpan<int> labels, double temperature = 1.0)
    {
        if (labels.Length != logits.Rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {logits.Rows} rows.", nameof(labels));
        }

        double beta = 1.0 / temperature;
        double total = 0;
        for (int row = 0; row < logits.Rows; row++)
        {
            ReadOnlySpan<float> z = logits.Row(row);
            double max = double.NegativeInfinity;
            foreach (float value in z)
            {
                max = Math.Max(max, beta * value);
            }

            double sum = 0;
            foreach (float value in z)
            {
                sum += Math.Exp(beta * value - max);
            }

            total += max + Math.Log(sum) - beta * z[labels[row]];
        }

        return labels.Length == 0 ? 0 : total / labels.Length;
    }
}
