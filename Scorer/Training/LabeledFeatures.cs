namespace Scorer.Training;

/// <summary>Feature rows and their class indices (see <see cref="SentimentLabels"/>), the trainer's input.</summary>
public sealed record LabeledFeatures
{
    public LabeledFeatures(FeatureMatrix features, int[] labels, int classes = SentimentLabels.Count)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != features.Rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {features.Rows} feature rows.", nameof(labels));
        }

        int bad = Array.FindIndex(labels, label => label < 0 || label >= classes);
        if (bad >= 0)
        {
            throw new ArgumentException($"Label {labels[bad]} at row {bad} is outside 0-{classes - 1}.", nameof(labels));
        }

        Features = features;
        Labels = labels;
        Classes = classes;
    }

    public FeatureMatrix Features { get; }

    public int[] Labels { get; }

    public int Classes { get; }

    public int Count => Labels.Length;

    public int[] ClassCounts()
    {
        var counts = new int[Classes];
        foreach (int label in Labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>
    /// Inverse-frequency weights normalised so the weighted example count equals the plain one
    /// (<c>n / (K · n_k)</c>, scikit-learn's "balanced"); 1 for a class with no examples.
    /// </summary>
    public float[] BalancedClassWeights()
    {
        int[] counts = ClassCounts();
        return counts.Select(count => count == 0 ? 1f : (float)((double)Count / (Classes * count))).ToArray();
    }
}
