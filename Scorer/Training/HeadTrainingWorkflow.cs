using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Scorer.Models.Accurate;

namespace Scorer.Training;

/// <summary>Turns texts into fixed-length feature rows: the frozen sentence encoder, or a stand-in.</summary>
public interface ITextFeaturizer
{
    EncoderInfo Encoder { get; }

    Task<FeatureMatrix> FeaturizeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

/// <summary>The inputs of one training run; paths default to the GoEmotions layout.</summary>
public sealed record HeadTrainingRequest
{
    public required string GoEmotionsDirectory { get; init; }

    public required string OutputPath { get; init; }

    /// <summary>The command line recorded in the head file.</summary>
    public required string Command { get; init; }

    public HyperparameterGrid Grid { get; init; } = new();

    public string TrainPath => Path.Combine(GoEmotionsDirectory, "train.tsv");

    public string DevPath => Path.Combine(GoEmotionsDirectory, "dev.tsv");

    public string EmotionsPath => Path.Combine(GoEmotionsDirectory, "emotions.txt");

    public string MappingPath => Path.Combine(GoEmotionsDirectory, "sentiment_mapping.json");
}

/// <summary>What a training run produced, for printing and checking.</summary>
public sealed record HeadTrainingOutcome(
    GoEmotionsSplit Train,
    GoEmotionsSplit Dev,
    SearchResult Search,
    TemperatureFit Temperature,
    EvaluationReport DevReport,
    HeadDefinition Head,
    TimeSpan FeaturizeTime);

/// <summary>
/// The accurate head's training, end to end: GoEmotions train/dev mapped to sentiment, features from the
/// given featurizer, a grid search selected on dev macro-F1, temperature scaling on dev logits, and the
/// head file with its provenance.
/// </summary>
public static class HeadTrainingWorkflow
{
    public static async Task<HeadTrainingOutcome> RunAsync(
        HeadTrainingRequest request, ITextFeaturizer featurizer, ILogger logger, CancellationToken cancellationToken = default)
    {
        GoEmotionsTaxonomy taxonomy = await GoEmotionsTaxonomy.LoadAsync(request.EmotionsPath, request.MappingPath, cancellationToken).ConfigureAwait(false);
        GoEmotionsSplit train = await GoEmotionsReader.ReadAsync(request.TrainPath, taxonomy, cancellationToken).ConfigureAwait(false);
        GoEmotionsSplit dev = await GoEmotionsReader.ReadAsync(request.DevPath, taxonomy, cancellationToken).ConfigureAwait(false);
        foreach (GoEmotionsSplit split in new[] { train, dev })
        {
            logger.LogInformation(
                "{Split}: {Rows} rows, kept {Kept} (negative {Negative}, neutral {Neutral}, positive {Positive}), excluded {Excluded}",
                split.Source, split.TotalRows, split.Examples.Count, split.CountOf(Models.Sentiment.Negative),
                split.CountOf(Models.Sentiment.Neutral), split.CountOf(Models.Sentiment.Positive), FormatCounts(split.ExcludedRows));
        }

        var stopwatch = Stopwatch.StartNew();
        FeatureMatrix trainFeatures = await featurizer.FeaturizeAsync(train.Texts, cancellationToken).ConfigureAwait(false);
        FeatureMatrix devFeatures = await featurizer.FeaturizeAsync(dev.Texts, cancellationToken).ConfigureAwait(false);
        TimeSpan featurizeTime = stopwatch.Elapsed;
        logger.LogInformation("Featurized {Rows} texts with {Encoder} ({Dimension} dims) in {Seconds:F1} s",
            train.Examples.Count + dev.Examples.Count, featurizer.Encoder.Name, trainFeatures.Columns, featurizeTime.TotalSeconds);

        var trainSet = new LabeledFeatures(trainFeatures, train.LabelIndices);
        var devSet = new LabeledFeatures(devFeatures, dev.LabelIndices);
        SearchResult search = HyperparameterSearch.Run(
            trainSet, devSet, request.Grid, SentimentLabels.Names,
            trial => logger.LogInformation(
                "{Architecture} l2={L2} weighting={Weighting}: dev macro-F1 {MacroF1:F4}, accuracy {Accuracy:F4}, NLL {Nll:F4}; {Steps} steps in {Seconds:F1} s",
                trial.Options.Architecture, trial.Options.L2, trial.Options.BalanceClasses ? "balanced" : "none",
                trial.Dev.MacroF1, trial.Dev.Accuracy, trial.DevNll, trial.Training.Steps, trial.Training.Elapsed.TotalSeconds),
            cancellationToken);

        HeadModel head = search.Best.Training.Model;
        FeatureMatrix devLogits = head.ComputeLogits(devFeatures);
        TemperatureFit temperature = TemperatureScaling.Fit(devLogits, devSet.Labels, SentimentLabels.Names);
        var devEvaluation = new EvaluationSet(dev.Source, dev.Sha256, EvaluationKind.ThreeClass, dev.Texts, dev.Examples.Select(e => e.Label).ToArray(), null);
        EvaluationReport devReport = EvaluationReport.Create(devEvaluation, Probabilities.FromLogits(devLogits, temperature.Temperature));
        ClassificationMetrics devMetrics = devReport.Classification!;

        HeadDefinition definition = TrainedHead.ToDefinition(head, featurizer.Encoder, temperature.Temperature, new TrainingProvenance
        {
            TrainSha256 = train.Sha256,
            DevSha256 = dev.Sha256,
            TrainRows = train.Examples.Count,
            DevRows = dev.Examples.Count,
            ExcludedRows = new Dictionary<string, IReadOnlyDictionary<string, int>> { ["train"] = train.ExcludedRows, ["dev"] = dev.ExcludedRows },
            Hyperparameters = search.Best.HyperparametersJson(),
            DevMetrics = new JsonObject
            {
                ["accuracy"] = Math.Round(devMetrics.Accuracy, 6),
                ["macro_f1"] = Math.Round(devMetrics.MacroF1, 6),
                ["macro_recall"] = Math.Round(devMetrics.MacroRecall, 6),
                ["nll_before"] = Math.Round(temperature.NllBefore, 6),
                ["nll_after"] = Math.Round(temperature.NllAfter, 6),
            },
            EceBefore = temperature.EceBefore,
            EceAfter = temperature.EceAfter,
            Date = DateTimeOffset.UtcNow,
            Command = request.Command,
        });
        await HeadFile.WriteAsync(request.OutputPath, definition, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Wrote {Path} ({Bytes:N0} bytes): {Architecture}, T = {Temperature:F3}",
            request.OutputPath, new FileInfo(request.OutputPath).Length, search.Best.Options.Architecture, temperature.Temperature);
        return new HeadTrainingOutcome(train, dev, search, temperature, devReport, definition, featurizeTime);
    }

    /// <summary>The search table, the temperature fit and the dev report (whose last line is its JSON).</summary>
    public static void WriteSummary(HeadTrainingOutcome outcome, TextWriter writer)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(invariant, $"Data: train {outcome.Train.Examples.Count:N0} of {outcome.Train.TotalRows:N0} rows (excluded {FormatCounts(outcome.Train.ExcludedRows)}), dev {outcome.Dev.Examples.Count:N0} of {outcome.Dev.TotalRows:N0} (excluded {FormatCounts(outcome.Dev.ExcludedRows)})"));
        writer.WriteLine();
        writer.WriteLine(string.Create(invariant, $"  {"architecture",-20}{"l2",10}{"weights",10}{"macro-F1",10}{"accuracy",10}{"NLL",8}{"steps",7}{"seconds",9}"));
        foreach (SearchTrial trial in outcome.Search.Trials)
        {
            string marker = ReferenceEquals(trial, outcome.Search.Best) ? " *" : string.Empty;
            writer.WriteLine(string.Create(invariant,
                $"  {trial.Options.Architecture,-20}{trial.Options.L2,10:G3}{(trial.Options.BalanceClasses ? "balanced" : "none"),10}{trial.Dev.MacroF1,10:F4}{trial.Dev.Accuracy,10:F4}{trial.DevNll,8:F4}{trial.Training.Steps,7}{trial.Training.Elapsed.TotalSeconds,9:F1}{marker}"));
        }

        TemperatureFit t = outcome.Temperature;
        writer.WriteLine();
        writer.WriteLine(string.Create(invariant, $"Temperature {t.Temperature:F4}: dev NLL {t.NllBefore:F4} -> {t.NllAfter:F4}, ECE {t.EceBefore:F4} -> {t.EceAfter:F4}"));
        writer.WriteLine();
        outcome.DevReport.WriteTo(writer, "Dev (selected head, temperature applied)");
    }

    private static string FormatCounts(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(pair => $"{pair.Key} {pair.Value}"));
}
