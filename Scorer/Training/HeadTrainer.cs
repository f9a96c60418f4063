using System.Diagnostics;

namespace Scorer.Training;

public enum HeadOptimizer
{
    /// <summary>Full-batch L-BFGS: exact optimum of the convex logistic-regression objective.</summary>
    Lbfgs,

    /// <summary>Mini-batch Adam, optionally stopped early on the validation macro-F1.</summary>
    Adam,
}

/// <summary>How to train one head. Defaults suit 384-dim normalised sentence embeddings.</summary>
public sealed record HeadTrainingOptions
{
    /// <summary>Units of the single ReLU hidden layer; 0 trains multinomial logistic regression.</summary>
    public int HiddenUnits { get; init; }

    /// <summary>λ of the (λ/2)·‖W‖² penalty on weights (not biases), relative to the mean per-example loss.</summary>
    public float L2 { get; init; } = 1e-4f;

    /// <summary>Weight each example by its class's inverse frequency (<see cref="LabeledFeatures.BalancedClassWeights"/>).</summary>
    public bool BalanceClasses { get; init; }

    /// <summary>null: L-BFGS for logistic regression, Adam for an MLP.</summary>
    public HeadOptimizer? Optimizer { get; init; }

    /// <summary>Seeds the initial weights and Adam's shuffling; the same seed gives the same model.</summary>
    public int Seed { get; init; } = 17;

    public int MaxIterations { get; init; } = 500;

    public double GradientTolerance { get; init; } = 1e-6;

    public double RelativeTolerance { get; init; } = 1e-9;

    public int Epochs { get; init; } = 40;

    public int BatchSize { get; init; } = 128;

    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Adam with validation data stops after this many epochs without a better validation macro-F1.</summary>
    public int Patience { get; init; } = 6;

    public HeadOptimizer EffectiveOptimizer => Optimizer ?? (HiddenUnits == 0 ? HeadOptimizer.Lbfgs : HeadOptimizer.Adam);

    public string Architecture => HiddenUnits == 0 ? "logistic_regression" : $"mlp_{HiddenUnits}";
}

/// <summary>A trained head and how its training went.</summary>
/// <param name="LossHistory">Training objective after each L-BFGS iteration (first: at the start) or each Adam epoch (mean over its batches).</param>
/// <param name="ValidationMacroF1History">Adam with validation data: macro-F1 after each epoch; otherwise empty.</param>
/// <param name="Steps">L-BFGS iterations or Adam epochs run.</param>
/// <param name="BestEpoch">Adam with validation data: the epoch whose weights were kept (1-based); otherwise <paramref name="Steps"/>.</param>
public sealed record HeadTrainingResult(
    HeadModel Model,
    HeadTrainingOptions Options,
    IReadOnlyList<double> LossHistory,
    IReadOnlyList<double> ValidationMacroF1History,
    int Steps,
    int BestEpoch,
    bool Converged,
    string StopReason,
    IReadOnlyList<float> ClassWeights,
    TimeSpan Elapsed);

/// <summary>Trains a logistic-regression or one-hidden-layer MLP head on fixed features, single-threaded.</summary>
public static class HeadTrainer
{
    public static HeadTrainingResult Train(
        LabeledFeatures train,
        HeadTrainingOptions options,
        LabeledFeatures? validation = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.HiddenUnits);
        ArgumentOutOfRangeException.ThrowIfNegative(options.L2);
        if (train.Count == 0)
        {
            throw new ArgumentException("No training examples.", nameof(train));
        }

        if (validation is not null && validation.Features.Columns != train.Features.Columns)
        {
            throw new ArgumentException("Validation features differ in width from the training features.", nameof(validation));
        }

        var stopwatch = Stopwatch.StartNew();
        float[] classWeights = options.BalanceClasses ? train.BalancedClassWeights() : Enumerable.Repeat(1f, train.Classes).ToArray();
        int[] hidden = options.HiddenUnits == 0 ? [] : [options.HiddenUnits];
        var objective = new HeadObjective(train, hidden, options.L2, classWeights);
        float[] parameters = objective.InitialParameters(options.Seed);

        HeadTrainingResult result = options.EffectiveOptimizer == HeadOptimizer.Lbfgs
            ? TrainWithLbfgs(objective, train, parameters, options, classWeights, cancellationToken)
            : TrainWithAdam(objective, train, validation, parameters, options, classWeights, cancellationToken);
        return result with { Elapsed = stopwatch.Elapsed };
    }

    private static HeadTrainingResult TrainWithLbfgs(
        HeadObjective objective, LabeledFeatures train, float[] parameters, HeadTrainingOptions options, float[] classWeights,
        CancellationToken cancellationToken)
    {
        int[] all = Enumerable.Range(0, train.Count).ToArray();
        var history = new List<double>();
        Lbfgs.Outcome outcome = Lbfgs.Minimize(
            (x, gradient) => objective.Evaluate(x, all, gradient),
            parameters,
            new Lbfgs.Settings(options.MaxIterations, options.GradientTolerance, options.RelativeTolerance),
            history.Add,
            cancellationToken);
        return new HeadTrainingResult(
            objective.ToModel(parameters), options, history, [], outcome.Iterations, outcome.Iterations,
            outcome.Converged, outcome.StopReason, classWeights, TimeSpan.Zero);
    }

    private static HeadTrainingResult TrainWithAdam(
        HeadObjective objective, LabeledFeatures train, LabeledFeatures? validation, float[] parameters,
        HeadTrainingOptions options, float[] classWeights, CancellationToken cancellationToken)
    {
        const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;
        int n = parameters.Length;
        var gradient = new float[n];
        var firstMoment = new float[n];
        var secondMoment = new float[n];
        float[] best = (float[])parameters.Clone();
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        var random = new Random(options.Seed);
        var history = new List<double>();
        var validationHistory = new List<double>();
        double bestScore = double.NegativeInfinity;
        int bestEpoch = 0;
        long step = 0;
        string stopReason = "epoch limit";
        int epoch = 0;
        while (epoch < options.Epochs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            epoch++;
            random.Shuffle(order);
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                ReadOnlySpan<int> batch = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start));
                lossSum += objective.Evaluate(parameters, batch, gradient);
                batches++;
                step++;
                float correction1 = 1f / (1f - MathF.Pow(Beta1, step));
                float correction2 = 1f / (1f - MathF.Pow(Beta2, step));
                for (int p = 0; p < n; p++)
                {
                    float g = gradient[p];
                    firstMoment[p] = Beta1 * firstMoment[p] + (1 - Beta1) * g;
                    secondMoment[p] = Beta2 * secondMoment[p] + (1 - Beta2) * g * g;
                    parameters[p] -= options.LearningRate * firstMoment[p] * correction1
                        / (MathF.Sqrt(secondMoment[p] * correction2) + Epsilon);
                }
            }

            history.Add(lossSum / batches);
            if (validation is null)
            {
                continue;
            }

            double score = ValidationMacroF1(objective.ToModel(parameters), validation);
            validationHistory.Add(score);
            if (score > bestScore)
            {
                bestScore = score;
                bestEpoch = epoch;
                parameters.CopyTo(best, 0);
            }
            else if (epoch - bestEpoch >= options.Patience)
            {
                stopReason = $"no better validation macro-F1 for {options.Patience} epochs";
                break;
            }
        }

        HeadModel model = objective.ToModel(validation is null ? parameters : best);
        return new HeadTrainingResult(
            model, options, history, validationHistory, epoch, validation is null ? epoch : bestEpoch,
            Converged: true, stopReason, classWeights, TimeSpan.Zero);
    }

    private static double ValidationMacroF1(HeadModel model, LabeledFeatures validation)
    {
        int[] predicted = Probabilities.ArgMax(model.ComputeLogits(validation.Features));
        return EvaluationMetrics.MacroF1(validation.Labels, predicted, validation.Classes);
    }
}
