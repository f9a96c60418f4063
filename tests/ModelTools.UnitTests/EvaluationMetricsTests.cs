using System.Text.Json;
using ModelTools.Data;
using ModelTools.Evaluation;
using Scorer.Models;

namespace ModelTools.UnitTests;

public sealed class EvaluationMetricsTests
{
    private static readonly string[] Labels = ["negative", "neutral", "positive"];

    // Confusion by hand: true negative → [2, 1, 1], true neutral → [1, 2, 0], true positive → [0, 1, 2].
    private static readonly int[] Truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
    private static readonly int[] Predicted = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];

    [Fact]
    public void Hand_computed_confusion_matrix_gives_hand_computed_figures()
    {
        ClassificationMetrics m = EvaluationMetrics.FromPredictions(Truth, Predicted, Enumerable.Repeat(0.5f, 10).ToArray(), Labels);

        Assert.Equal([[2, 1, 1], [1, 2, 0], [0, 1, 2]], m.Confusion);
        Assert.Equal(0.6, m.Accuracy, 12);
        Assert.Equal(2.0 / 3, m.PerClass[0].Precision, 12);
        Assert.Equal(0.5, m.PerClass[0].Recall, 12);
        Assert.Equal(4.0 / 7, m.PerClass[0].F1, 12);
        Assert.Equal(0.5, m.PerClass[1].Precision, 12);
        Assert.Equal(4.0 / 7, m.PerClass[1].F1, 12);
        Assert.Equal(2.0 / 3, m.PerClass[2].F1, 12);
        Assert.Equal([4, 3, 3], m.PerClass.Select(c => c.Support));
        Assert.Equal(38.0 / 63, m.MacroF1, 12);
        Assert.Equal(11.0 / 18, m.MacroRecall, 12);
        Assert.Equal(38.0 / 63, EvaluationMetrics.MacroF1(Truth, Predicted, 3), 12);
    }

    [Fact]
    public void A_class_never_predicted_counts_as_zero_f1()
    {
        ClassificationMetrics m = EvaluationMetrics.FromPredictions([0, 1, 2], [0, 0, 0], [1f, 1f, 1f], Labels);

        Assert.Equal(0, m.PerClass[1].Precision);
        Assert.Equal(0, m.PerClass[1].F1);
        Assert.Equal((0.5 + 0 + 0) / 3, m.MacroF1, 12);
    }

    [Fact]
    public void Ece_on_a_small_hand_example()
    {
        // Bin (14/15, 1]: 0.95 right, 0.95 wrong → |0.5 − 0.95| = 0.45, weight 2/5.
        // Bin (8/15, 9/15]: 0.55 right, wrong, wrong → |1/3 − 0.55| = 0.21667, weight 3/5.
        float[] confidence = [0.95f, 0.95f, 0.55f, 0.55f, 0.55f];
        bool[] correct = [true, false, true, false, false];

        double ece = EvaluationMetrics.ExpectedCalibrationError(confidence, correct);

        Assert.Equal(0.4 * 0.45 + 0.6 * (0.55 - 1.0 / 3), ece, 6);
        Assert.Equal(0, EvaluationMetrics.ExpectedCalibrationError([1f, 0.5f], [true, true], bins: 1) - 0.25, 6);
    }

    [Fact]
    public void Ece_puts_a_value_on_a_bin_edge_in_the_lower_bin()
    {
        // 0.5 lies on the edge of 2 bins: (0, 0.5] holds it, so its bin is perfectly calibrated.
        Assert.Equal(0, EvaluationMetrics.ExpectedCalibrationError([0.5f, 0.5f], [true, false], bins: 2), 12);
    }

    [Fact]
    public void Binary_mode_compares_negative_with_positive_only()
    {
        var probabilities = new FeatureMatrix(3, 3, [
            0.2f, 0.7f, 0.1f,   // neutral wins three-way, negative wins binary
            0.1f, 0.5f, 0.4f,   // positive
            0.3f, 0.3f, 0.4f,   // positive, but the truth is negative
        ]);

        ClassificationMetrics m = EvaluationMetrics.ClassifyBinary([0, 2, 0], probabilities);

        Assert.Equal(["negative", "positive"], m.Labels);
        Assert.Equal([[1, 1], [0, 1]], m.Confusion);
        Assert.Equal(2.0 / 3, m.Accuracy, 12);
        Assert.Throws<ArgumentException>(() => EvaluationMetrics.ClassifyBinary([1, 2, 0], probabilities));
    }

    [Fact]
    public void Pearson_r_by_hand()
    {
        // dx = -1.5 -0.5 0.5 1.5, dy = -3 -1 0 4: Σdxdy = 11, Σdx² = 5, Σdy² = 26.
        Assert.Equal(11 / Math.Sqrt(5 * 26), EvaluationMetrics.PearsonR([1, 2, 3, 4], [2, 4, 5, 9]), 12);
        Assert.Equal(-1, EvaluationMetrics.PearsonR([1, 2, 3], [3, 2, 1]), 12);
        Assert.True(double.IsNaN(EvaluationMetrics.PearsonR([1, 1, 1], [1, 2, 3])));
    }

    [Fact]
    public void Report_ends_with_one_json_line_for_labels()
    {
        var set = new EvaluationSet("hand.tsv", "", EvaluationKind.ThreeClass,
            ["a", "b", "c"], [Sentiment.Negative, Sentiment.Neutral, Sentiment.Positive], null);
        var probabilities = new FeatureMatrix(3, 3, [0.8f, 0.1f, 0.1f, 0.2f, 0.7f, 0.1f, 0.5f, 0.1f, 0.4f]);
        var output = new StringWriter();

        EvaluationReport.Create(set, probabilities).WriteTo(output);

        string[] lines = output.ToString().TrimEnd().Split('\n');
        using JsonDocument json = JsonDocument.Parse(lines[^1]);
        JsonElement root = json.RootElement;
        Assert.Equal(3, root.GetProperty("n").GetInt32());
        Assert.Equal(0.666667, root.GetProperty("accuracy").GetDouble());
        Assert.Equal(0.5, root.GetProperty("per_class").GetProperty("negative").GetProperty("precision").GetDouble());
        Assert.Equal(0, root.GetProperty("confusion")[2][0].GetInt32() - 1);
        Assert.Equal("positive", root.GetProperty("labels")[2].GetString());
        Assert.True(root.TryGetProperty("ece", out _));
        Assert.True(root.TryGetProperty("macro_f1", out _));
        Assert.True(root.TryGetProperty("macro_recall", out _));
        Assert.False(root.TryGetProperty("pearson_r", out _));
        Assert.Contains("confusion", lines[0..^1].Aggregate((a, b) => a + b));
    }

    [Fact]
    public void Report_for_ratings_gives_pearson_r_of_the_polarity_score()
    {
        var set = new EvaluationSet("rated.tsv", "", EvaluationKind.Rating, ["a", "b", "c"], null, [-2.0, 0.5, 3.0]);
        var probabilities = new FeatureMatrix(3, 3, [0.8f, 0.1f, 0.1f, 0.3f, 0.4f, 0.3f, 0.1f, 0.1f, 0.8f]);

        var report = EvaluationReport.Create(set, probabilities);

        double expected = EvaluationMetrics.PearsonR([-0.7, 0.0, 0.7], [-2.0, 0.5, 3.0]);
        Assert.Equal(expected, report.PearsonR!.Value, 5);
        using JsonDocument json = JsonDocument.Parse(report.ToJson());
        Assert.Equal(Math.Round(report.PearsonR.Value, 6), json.RootElement.GetProperty("pearson_r").GetDouble());
        Assert.False(json.RootElement.TryGetProperty("accuracy", out _));
    }

    [Fact]
    public void Report_from_served_predictions_uses_their_score_for_ratings()
    {
        var set = new EvaluationSet("rated.tsv", "", EvaluationKind.Rating, ["a", "b", "c"], null, [1.0, 2.0, 3.0]);
        SentimentPrediction[] predictions =
        [
            new(Sentiment.Neutral, 0.3f, 0.4f, 0.3f, -0.9f, 0.4f, false),
            new(Sentiment.Neutral, 0.3f, 0.4f, 0.3f, 0.1f, 0.4f, false),
            new(Sentiment.Neutral, 0.3f, 0.4f, 0.3f, 0.8f, 0.4f, false),
        ];

        Assert.True(EvaluationReport.Create(set, predictions).PearsonR > 0.95);
    }
}
