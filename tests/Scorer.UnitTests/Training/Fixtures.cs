using Scorer.Training;

namespace Scorer.UnitTests.Training;

/// <summary>Small generated data sets, the same every run.</summary>
internal static class Fixtures
{
    /// <summary>Three well separated Gaussian blobs in <paramref name="dimensions"/> dimensions.</summary>
    public static LabeledFeatures Blobs(int perClass = 30, int dimensions = 6, int seed = 3)
    {
        var random = new Random(seed);
        var features = new FeatureMatrix(3 * perClass, dimensions);
        var labels = new int[3 * perClass];
        for (int row = 0; row < labels.Length; row++)
        {
            int label = row % 3;
            labels[row] = label;
            for (int d = 0; d < dimensions; d++)
            {
                float centre = d == label ? 3f : 0f;
                features[row, d] = centre + (float)(0.5 * Normal(random));
            }
        }

        return new LabeledFeatures(features, labels);
    }

    /// <summary>Three concentric rings in 2-D: not linearly separable, easy for a small MLP.</summary>
    public static LabeledFeatures Rings(int perClass = 60, int seed = 5)
    {
        var random = new Random(seed);
        var features = new FeatureMatrix(3 * perClass, 2);
        var labels = new int[3 * perClass];
        for (int row = 0; row < labels.Length; row++)
        {
            int label = row % 3;
            double angle = random.NextDouble() * 2 * Math.PI;
            double radius = 1 + label + 0.15 * (random.NextDouble() - 0.5);
            features[row, 0] = (float)(radius * Math.Cos(angle));
            features[row, 1] = (float)(radius * Math.Sin(angle));
            labels[row] = label;
        }

        return new LabeledFeatures(features, labels);
    }

    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static double TrainAccuracy(HeadModel model, LabeledFeatures data)
    {
        int[] predicted = Probabilities.ArgMax(model.ComputeLogits(data.Features));
        return predicted.Zip(data.Labels).Count(pair => pair.First == pair.Second) / (double)data.Count;
    }
}
