using System.Text.Json.Nodes;

namespace Scorer.Training;

/// <summary>
/// The settings tried: every combination of architecture, L2 strength and class weighting, on top of
/// <see cref="BaseOptions"/>. Candidates run simplest first (logistic regression, then smaller MLPs;
/// stronger L2; unweighted), and the first of equal dev macro-F1 wins, so ties favour the simpler head.
/// </summary>
public sealed record HyperparameterGrid
{
    /// <summary>0 is logistic regression; anything else an MLP with that many hidden units.</summary>
    public IReadOnlyList<int> HiddenUnits { get; init; } = [0, 128, 256];

    public IReadOnlyList<float> L2Strengths { get; init; } = [1e-3f, 1e-4f, 1e-5f, 1e-6f];

    public IReadOnlyList<bool> BalanceClasses { get; init; } = [false, true];

    /// <summary>Seed, epochs, learning rate and the other settings every candidate shares.</summary>
    public HeadTrainingOptions BaseOptions { get; init; } = new();

    public IEnumerable<HeadTrainingOptions> Candidates() =>
        from hidden in HiddenUnits.Order()
        from l2 in L2Strengths.OrderDescending()
        from balance in BalanceClasses.Order()
        select BaseOptions with { HiddenUnits = hidden, L2 = l2, BalanceClasses = balance };
}

/// <summary>One candidate's training and its dev figures (before temperature scaling).</summary>
public sealed record SearchTrial(HeadTrainingResult Training, ClassificationMetrics Dev, double DevNll)
{
    public HeadTrainingOptions Options => Training.Options;

    /// <summary>The settings as stored in the head file's <c>training.hyperparameters</c>.</summary>
    public JsonObject HyperparametersJson()
    {
        HeadTrainingOptions o = Options;
        var json = new JsonObject
        {
            ["architecture"] = o.Architecture,
            ["hidden_units"] = o.HiddenUnits,
            ["l2"] = o.L2,
            ["class_weighting"] = o.BalanceClasses ? "balanced" : "none",
            ["class_weights"] = new JsonArray(Training.ClassWeights.Select(w => (JsonNode)Math.Round(w, 6)).ToArray()),
            ["optimizer"] = o.EffectiveOptimizer == HeadOptimizer.Lbfgs ? "lbfgs" : "adam",
            ["seed"] = o.Seed,
            ["selection"] = "dev macro_f1",
        };
        if (o.EffectiveOptimizer == HeadOptimizer.Lbfgs)
        {
            json["iterations"] = Training.Steps;
            json["converged"] = Training.Converged;
        }
        else
        {
            json["batch_size"] = o.BatchSize;
            json["learning_rate"] = o.LearningRate;
            json["max_epochs"] = o.Epochs;
            json["patience"] = o.Patience;
            json["epochs_run"] = Training.Steps;
            json["best_epoch"] = Training.BestEpoch;
        }

        return json;
    }
}

public sealed record SearchResult(IReadOnlyList<SearchTrial> Trials, SearchTrial Best);

/// <summary>
/// Trains every candidate of a <see cref="HyperparameterGrid"/> on train and keeps the one with the best dev
/// macro-F1. Only the dev split is looked at (also for the MLPs' early stopping); there is no test split here.
/// </summary>
public static class HyperparameterSearch
{
    public static SearchResult Run(
        LabeledFeatures train,
        LabeledFeatures dev,
        HyperparameterGrid grid,
        IReadOnlyList<string> labelNames,
        Action<SearchTrial>? onTrial = null,
        CancellationToken cancellationToken = default)
    {
        var trials = new List<SearchTrial>();
        SearchTrial? best = null;
        foreach (HeadTrainingOptions options in grid.Candidates())
        {
            cancellationToken.ThrowIfCancellationRequested();
            HeadTrainingResult training = HeadTrainer.Train(train, options, dev, cancellationToken);
            FeatureMatrix logits = training.Model.ComputeLogits(dev.Features);
            var trial = new SearchTrial(
                training,
                EvaluationMetrics.Classify(dev.Labels, Probabilities.FromLogits(logits), labelNames),
                Probabilities.NegativeLogLikelihood(logits, dev.Labels));
            trials.Add(trial);
            onTrial?.Invoke(trial);
            if (best is null || trial.Dev.MacroF1 > best.Dev.MacroF1)
            {
                best = trial;
            }
        }

        return best is null
            ? throw new ArgumentException("The grid has no candidates.", nameof(grid))
            : new SearchResult(trials, best);
    }
}
