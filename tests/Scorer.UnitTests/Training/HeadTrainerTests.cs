using Scorer.Training;

namespace Scorer.UnitTests.Training;

public sealed class HeadTrainerTests
{
    [Fact]
    public void Logistic_regression_loss_falls_and_fits_separable_data()
    {
        LabeledFeatures data = Fixtures.Blobs();

        HeadTrainingResult result = HeadTrainer.Train(data, new HeadTrainingOptions { L2 = 1e-4f });

        Assert.Equal(HeadOptimizer.Lbfgs, result.Options.EffectiveOptimizer);
        Assert.Single(result.Model.Layers);
        Assert.True(result.LossHistory[^1] < 0.1 * result.LossHistory[0], $"loss {result.LossHistory[0]} -> {result.LossHistory[^1]}");
        for (int i = 1; i < result.LossHistory.Count; i++)
        {
            Assert.True(result.LossHistory[i] <= result.LossHistory[i - 1], $"L-BFGS loss rose at iteration {i}");
        }

        Assert.Equal(1.0, Fixtures.TrainAccuracy(result.Model, data));
        Assert.True(result.Converged, result.StopReason);
    }

    [Fact]
    public void Mlp_loss_falls_and_fits_rings_a_linear_head_cannot()
    {
        LabeledFeatures data = Fixtures.Rings();
        var options = new HeadTrainingOptions { HiddenUnits = 32, L2 = 1e-5f, Epochs = 300, BatchSize = 16, LearningRate = 0.01f };

        HeadTrainingResult mlp = HeadTrainer.Train(data, options);
        HeadTrainingResult linear = HeadTrainer.Train(data, new HeadTrainingOptions { L2 = 1e-5f });

        Assert.Equal(HeadOptimizer.Adam, mlp.Options.EffectiveOptimizer);
        Assert.Equal(LayerActivation.Relu, mlp.Model.Layers[0].Activation);
        Assert.Equal(300, mlp.LossHistory.Count);
        Assert.True(mlp.LossHistory[^1] < 0.2 * mlp.LossHistory[0], $"loss {mlp.LossHistory[0]} -> {mlp.LossHistory[^1]}");
        Assert.True(Fixtures.TrainAccuracy(mlp.Model, data) >= 0.98);
        Assert.True(Fixtures.TrainAccuracy(linear.Model, data) < 0.8);
    }

    [Fact]
    public void Same_seed_gives_the_same_model()
    {
        LabeledFeatures data = Fixtures.Blobs();
        var options = new HeadTrainingOptions { HiddenUnits = 8, Epochs = 5, Seed = 42 };

        HeadModel first = HeadTrainer.Train(data, options).Model;
        HeadModel second = HeadTrainer.Train(data, options).Model;
        HeadModel other = HeadTrainer.Train(data, options with { Seed = 43 }).Model;

        Assert.Equal(first.Layers[0].Weights, second.Layers[0].Weights);
        Assert.Equal(first.Layers[1].Bias, second.Layers[1].Bias);
        Assert.NotEqual(first.Layers[0].Weights, other.Layers[0].Weights);
    }

    [Fact]
    public void Adam_with_validation_keeps_the_best_epoch_and_stops_early()
    {
        LabeledFeatures data = Fixtures.Blobs();
        var options = new HeadTrainingOptions { HiddenUnits = 8, Epochs = 100, Patience = 3, LearningRate = 0.01f };

        HeadTrainingResult result = HeadTrainer.Train(data, options, validation: Fixtures.Blobs(seed: 9));

        Assert.True(result.Steps < 100, "blobs are learnt at once, so patience runs out");
        Assert.Equal(result.Steps, result.ValidationMacroF1History.Count);
        Assert.Equal(result.ValidationMacroF1History.Max(), result.ValidationMacroF1History[result.BestEpoch - 1]);
    }

    [Fact]
    public void Balanced_class_weights_are_inverse_frequency_with_mean_one()
    {
        var data = new LabeledFeatures(new FeatureMatrix(6, 1), [0, 0, 0, 1, 1, 2]);

        float[] weights = data.BalancedClassWeights();

        Assert.Equal([6f / 9, 1f, 2f], weights);
        Assert.Equal(6.0, data.Labels.Sum(label => weights[label]), 5);
    }

    [Fact]
    public void Class_weighting_moves_predictions_toward_a_rare_class()
    {
        // Overlapping classes, class 2 rare: weighting must not lower its recall.
        var random = new Random(11);
        int n = 400;
        var features = new FeatureMatrix(n, 2);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 10 == 0 ? 2 : i % 2;
            features[i, 0] = (float)(labels[i] + Fixtures.Normal(random));
            features[i, 1] = (float)Fixtures.Normal(random);
        }

        var data = new LabeledFeatures(features, labels);
        int RarePredictions(bool balance) => Probabilities
            .ArgMax(HeadTrainer.Train(data, new HeadTrainingOptions { BalanceClasses = balance }).Model.ComputeLogits(features))
            .Count(p => p == 2);

        Assert.True(RarePredictions(balance: true) > RarePredictions(balance: false));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Gradient_matches_finite_differences(int hidden)
    {
        LabeledFeatures data = Fixtures.Blobs(perClass: 4, dimensions: 3);
        var objective = new HeadObjective(data, hidden == 0 ? [] : [hidden], l2: 0.01f, classWeights: [1f, 2f, 0.5f]);
        float[] parameters = objective.InitialParameters(seed: 1);
        var random = new Random(2);
        for (int p = 0; p < parameters.Length; p++)
        {
            parameters[p] += (float)(0.3 * Fixtures.Normal(random));
        }

        int[] samples = Enumerable.Range(0, data.Count).ToArray();
        var gradient = new float[parameters.Length];
        objective.Evaluate(parameters, samples, gradient);
        var scratch = new float[parameters.Length];
        for (int p = 0; p < parameters.Length; p++)
        {
            const float h = 1e-2f;
            float saved = parameters[p];
            parameters[p] = saved + h;
            double up = objective.Evaluate(parameters, samples, scratch);
            parameters[p] = saved - h;
            double down = objective.Evaluate(parameters, samples, scratch);
            parameters[p] = saved;
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[p]) < 2e-3 + 2e-2 * Math.Abs(numeric), $"parameter {p}: analytic {gradient[p]}, numeric {numeric}");
        }
    }
}
