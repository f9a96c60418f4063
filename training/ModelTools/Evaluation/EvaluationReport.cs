using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelTools.Data;
using Scorer.Models;

namespace ModelTools.Evaluation;

/// <summary>
/// A model's figures on one evaluation file: a readable table, then, as the last line, one JSON object
/// (<c>n, accuracy, macro_f1, macro_recall, per_class, confusion, labels, ece</c> for labelled files;
/// <c>n, pearson_r</c> for rated files; always <c>mode</c>) for scripts to pick up.
/// </summary>
public sealed class EvaluationReport
{
    private EvaluationReport(EvaluationSet set, ClassificationMetrics? classification, double? pearsonR)
    {
        Set = set;
        Classification = classification;
        PearsonR = pearsonR;
    }

    public EvaluationSet Set { get; }

    public EvaluationKind Kind => Set.Kind;

    public int N => Set.Count;

    /// <summary>Labelled files: the classification figures (binary files: negative against positive).</summary>
    public ClassificationMetrics? Classification { get; }

    /// <summary>Rated files: Pearson r between the model's polarity score and the ratings.</summary>
    public double? PearsonR { get; }

    /// <summary>
    /// Evaluates three-way probabilities (rows in <see cref="SentimentLabels"/> order). <paramref name="scores"/>
    /// is the polarity compared with ratings; by default P(pos) − P(neg).
    /// </summary>
    public static EvaluationReport Create(EvaluationSet set, FeatureMatrix probabilities, IReadOnlyList<double>? scores = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (probabilities.Rows != set.Count || probabilities.Columns != SentimentLabels.Count)
        {
            throw new ArgumentException($"Expected {set.Count} × {SentimentLabels.Count} probabilities, got {probabilities.Rows} × {probabilities.Columns}.", nameof(probabilities));
        }

        if (set.Kind == EvaluationKind.Rating)
        {
            double[] polarity = scores?.ToArray() ?? EvaluationMetrics.PolarityScores(probabilities);
            if (polarity.Length != set.Count)
            {
                throw new ArgumentException($"{polarity.Length} scores for {set.Count} rows.", nameof(scores));
            }

            return new EvaluationReport(set, null, EvaluationMetrics.PearsonR(polarity, set.Ratings!.ToArray()));
        }

        int[] truth = SentimentLabels.ToIndices(set.Labels!);
        ClassificationMetrics metrics = set.Kind == EvaluationKind.Binary
            ? EvaluationMetrics.ClassifyBinary(truth, probabilities)
            : EvaluationMetrics.Classify(truth, probabilities, SentimentLabels.Names);
        return new EvaluationReport(set, metrics, null);
    }

    /// <summary>
    /// Evaluates a served model's predictions as the product uses them: three-class files by each prediction's
    /// own label and confidence (the fast model labels by its compound score, not by its proportions), binary
    /// files by comparing P(negative) with P(positive), rated files by each prediction's <c>Score</c>.
    /// </summary>
    public static EvaluationReport Create(EvaluationSet set, IReadOnlyList<SentimentPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Kind == EvaluationKind.ThreeClass)
        {
            if (predictions.Count != set.Count)
            {
                throw new ArgumentException($"{predictions.Count} predictions for {set.Count} rows.", nameof(predictions));
            }

            int[] truth = SentimentLabels.ToIndices(set.Labels!);
            int[] predicted = SentimentLabels.ToIndices(predictions.Select(p => p.Label));
            float[] confidence = predictions.Select(p => p.Confidence).ToArray();
            return new EvaluationReport(set, EvaluationMetrics.FromPredictions(truth, predicted, confidence, SentimentLabels.Names), null);
        }

        var probabilities = new FeatureMatrix(predictions.Count, SentimentLabels.Count);
        for (int i = 0; i < predictions.Count; i++)
        {
            probabilities[i, 0] = predictions[i].Negative;
            probabilities[i, 1] = predictions[i].Neutral;
            probabilities[i, 2] = predictions[i].Positive;
        }

        return Create(set, probabilities, predictions.Select(p => (double)p.Score).ToArray());
    }

    public string Mode => Kind switch
    {
        EvaluationKind.ThreeClass => "three_class",
        EvaluationKind.Binary => "binary",
        _ => "rating",
    };

    /// <summary>The one-line JSON summary.</summary>
    public string ToJson() => CompactJson.Serialize(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("n", N);
        writer.WriteString("mode", Mode);
        if (Classification is { } m)
        {
            CompactJson.WriteMetric(writer, "accuracy", m.Accuracy);
            CompactJson.WriteMetric(writer, "macro_f1", m.MacroF1);
            CompactJson.WriteMetric(writer, "macro_recall", m.MacroRecall);
            writer.WriteStartObject("per_class");
            foreach (ClassMetrics c in m.PerClass)
            {
                writer.WriteStartObject(c.Label);
                CompactJson.WriteMetric(writer, "precision", c.Precision);
                CompactJson.WriteMetric(writer, "recall", c.Recall);
                CompactJson.WriteMetric(writer, "f1", c.F1);
                writer.WriteNumber("support", c.Support);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartArray("confusion");
            foreach (int[] row in m.Confusion)
            {
                writer.WriteStartArray();
                foreach (int count in row)
                {
                    writer.WriteNumberValue(count);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("labels");
            foreach (string label in m.Labels)
            {
                writer.WriteStringValue(label);
            }

            writer.WriteEndArray();
            CompactJson.WriteMetric(writer, "ece", m.Ece);
        }

        if (PearsonR is { } r)
        {
            CompactJson.WriteMetric(writer, "pearson_r", r);
        }

        writer.WriteEndObject();
    });

    /// <summary>Writes the table, then the JSON summary as the last line.</summary>
    public void WriteTo(TextWriter writer, string? title = null)
    {
        writer.Write(FormatTable(title));
        writer.WriteLine(ToJson());
    }

    public string FormatTable(string? title = null)
    {
        var text = new StringBuilder();
        CultureInfo invariant = CultureInfo.InvariantCulture;
        string sha = Set.Sha256.Length >= 12 ? $", sha256 {Set.Sha256[..12]}…" : string.Empty;
        text.AppendLine(invariant, $"{title ?? "Evaluation"}: {Set.Source} ({Mode.Replace('_', '-')}, {N:N0} rows{sha})");
        if (PearsonR is { } r)
        {
            text.AppendLine(invariant, $"  Pearson r (score vs rating)  {r,8:F4}");
        }

        if (Classification is not { } m)
        {
            return text.ToString();
        }

        text.AppendLine(invariant, $"  accuracy       {m.Accuracy,8:F4}");
        text.AppendLine(invariant, $"  macro-F1       {m.MacroF1,8:F4}");
        text.AppendLine(invariant, $"  macro-recall   {m.MacroRecall,8:F4}");
        text.AppendLine(invariant, $"  ECE (15 bins)  {m.Ece,8:F4}");
        int width = Math.Max(10, m.Labels.Max(label => label.Length) + 2);
        text.AppendLine();
        text.AppendLine(invariant, $"  {"class".PadRight(width)}{"precision",10}{"recall",10}{"f1",10}{"support",10}");
        foreach (ClassMetrics c in m.PerClass)
        {
            text.AppendLine(invariant, $"  {c.Label.PadRight(width)}{c.Precision,10:F4}{c.Recall,10:F4}{c.F1,10:F4}{c.Support,10:N0}");
        }

        text.AppendLine();
        text.AppendLine("  confusion (rows: true, columns: predicted)");
        text.Append("  ").Append(string.Empty.PadRight(width));
        foreach (string label in m.Labels)
        {
            text.Append(label.PadLeft(width));
        }

        text.AppendLine();
        for (int t = 0; t < m.Labels.Count; t++)
        {
            text.Append("  ").Append(m.Labels[t].PadRight(width));
            foreach (int count in m.Confusion[t])
            {
                text.Append(count.ToString("N0", invariant).PadLeft(width));
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
