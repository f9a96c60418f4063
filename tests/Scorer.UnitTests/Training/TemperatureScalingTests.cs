using Scorer.Training;

namespace Scorer.UnitTests.Training;

public sealed class TemperatureScalingTests
{
    [Fact]
    public void Fitting_undoes_overconfidence_and_lowers_nll_and_ece()
    {
        // Labels are drawn from softmax(z); the model reports 3·z, i.e. it is three times too confident.
        var random = new Random(7);
        int n = 3000;
        var logits = new FeatureMatrix(n, 3);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            var z = new double[3];
            for (int k = 0; k < 3; k++)
            {
                z[k] = 1.5 * Fixtures.Normal(random);
                logits[i, k] = (float)(3 * z[k]);
            }

            double[] p = z.Select(Math.Exp).ToArray();
            double u = random.NextDouble() * p.Sum();
            labels[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
        }

        TemperatureFit fit = TemperatureScaling.Fit(logits, labels);

        Assert.InRange(fit.Temperature, 2.6, 3.4);
        Assert.True(fit.NllAfter < fit.NllBefore - 0.1, $"NLL {fit.NllBefore} -> {fit.NllAfter}");
        Assert.True(fit.EceAfter < fit.EceBefore / 2, $"ECE {fit.EceBefore} -> {fit.EceAfter}");
        Assert.Equal(fit.NllAfter, Probabilities.NegativeLogLikelihood(logits, labels, fit.Temperature), 9);
    }

    [Fact]
    public void Scaling_keeps_the_predicted_classes()
    {
        LabeledFeatures data = Fixtures.Blobs();
        HeadModel model = HeadTrainer.Train(data, new HeadTrainingOptions()).Model;
        FeatureMatrix logits = model.ComputeLogits(data.Features);

        TemperatureFit fit = TemperatureScaling.Fit(logits, data.Labels);

        Assert.Equal(Probabilities.ArgMax(Probabilities.FromLogits(logits)), Probabilities.ArgMax(Probabilities.FromLogits(logits, fit.Temperature)));
    }
}
