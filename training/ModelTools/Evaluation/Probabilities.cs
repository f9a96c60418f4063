namespace ModelTools.Evaluation;

/// <summary>Argmax over rows of probabilities.</summary>
public static class Probabilities
{
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
}
