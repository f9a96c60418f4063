using ModelTools.Data;

namespace ModelTools.Evaluation;

/// <summary>Precision, recall and F1 of one class; 0 where a ratio has a zero denominator (as scikit-learn).</summary>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);

/// <summary>Classification quality over <see cref="N"/> examples.</summary>
/// <param name="Confusion">Counts by [true class][predicted class], in <see cref="Labels"/> order.</param>
/// <param name="Ece">Expected calibration error of the predicted class's probability (15 equal-width bins).</param>
public sealed record ClassificationMetrics(
    int N,
    IReadOnlyList<string> Labels,
    double Accuracy,
    double MacroF1,
    double MacroRecall,
    IReadOnlyList<ClassMetrics> PerClass,
    int[][] Confusion,
    double Ece);

/// <summary>The figures the accurate model is judged by.</summary>
public static class EvaluationMetrics
{
    public const int CalibrationBins = 15;

    /// <summary>
    /// Three-way metrics from class probabilities (rows in <see cref="SentimentLabels"/> order, or any K
    /// classes named by <paramref name="labels"/>): prediction = argmax, confidence = its probability.
    /// </summary>
    public static ClassificationMetrics Classify(ReadOnlySpan<int> truth, FeatureMatrix probabilities, IReadOnlyList<string> labels)
    {
        if (probabilities.Rows != truth.Length || probabilities.Columns != labels.Count)
        {
            throw new ArgumentException($"Expected {truth.Length} × {labels.Count} probabilities, got {probabilities.Rows} × {probabilities.Columns}.", nameof(probabilities));
        }

        int[] predicted = Probabilities.ArgMax(probabilities);
        var confidence = new float[truth.Length];
        for (int i = 0; i < confidence.Length; i++)
        {
            confidence[i] = probabilities[i, predicted[i]];
        }

        return FromPredictions(truth, predicted, confidence, labels);
    }

    /// <summary>
    /// Binary mode for files with only negative and positive rows: the three-way probabilities' negative and
    /// positive columns are compared (neutral ignored); prediction = the larger (negative on a tie),
    /// confidence = its share of P(neg) + P(pos).
    /// Labels and predictions are reported as 0 = negative, 1 = positive.
    /// </summary>
    public static ClassificationMetrics ClassifyBinary(
        ReadOnlySpan<int> truth, FeatureMatrix probabilities, int negativeColumn = 0, int positiveColumn = 2)
    {
        if (probabilities.Rows != truth.Length)
        {
            throw new ArgumentException($"{truth.Length} labels for {probabilities.Rows} rows.", nameof(probabilities));
        }

        var binaryTruth = new int[truth.Length];
        var predicted = new int[truth.Length];
        var confidence = new float[truth.Length];
        for (int i = 0; i < truth.Length; i++)
        {
            binaryTruth[i] = truth[i] == negativeColumn ? 0
                : truth[i] == positiveColumn ? 1
                : throw new ArgumentException($"Row {i} is labelled {truth[i]}; binary mode takes only negative and positive rows.", nameof(truth));
            float negative = probabilities[i, negativeColumn];
            float positive = probabilities[i, positiveColumn];
            predicted[i] = positive > negative ? 1 : 0;
            float total = negative + positive;
            confidence[i] = total > 0 ? Math.Max(negative, positive) / total : 0.5f;
        }

        return FromPredictions(binaryTruth, predicted, confidence, [SentimentLabels.Names[negativeColumn], SentimentLabels.Names[positiveColumn]]);
    }

    /// <summary>Metrics from hard predictions and the confidence of each prediction.</summary>
    public static ClassificationMetrics FromPredictions(
        ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, ReadOnlySpan<float> confidence, IReadOnlyList<string> labels)
    {
        if (predicted.Length != truth.Length || confidence.Length != truth.Length)
        {
            throw new ArgumentException("truth, predicted and confidence differ in length.");
        }

        int k = labels.Count;
        int[][] confusion = ConfusionMatrix(truth, predicted, k);
        var correct = new bool[truth.Length];
        int hits = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            correct[i] = truth[i] == predicted[i];
            hits += correct[i] ? 1 : 0;
        }

        ClassMetrics[] perClass = PerClass(confusion, labels);
        return new ClassificationMetrics(
            truth.Length,
            labels,
            truth.Length == 0 ? 0 : (double)hits / truth.Length,
            perClass.Average(c => c.F1),
            perClass.Average(c => c.Recall),
            perClass,
            confusion,
            ExpectedCalibrationError(confidence, correct));
    }

    /// <summary>Counts by [true][predicted].</summary>
    public static int[][] ConfusionMatrix(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classes)
    {
        int[][] confusion = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        for (int i = 0; i < truth.Length; i++)
        {
            confusion[truth[i]][predicted[i]]++;
        }

        return confusion;
    }

    public static ClassMetrics[] PerClass(int[][] confusion, IReadOnlyList<string> labels)
    {
        int k = confusion.Length;
        var result = new ClassMetrics[k];
        for (int c = 0; c < k; c++)
        {
            int truePositives = confusion[c][c];
            int support = confusion[c].Sum();
            int predictedCount = 0;
            for (int t = 0; t < k; t++)
            {
                predictedCount += confusion[t][c];
            }

            double precision = predictedCount == 0 ? 0 : (double)truePositives / predictedCount;
            double recall = support == 0 ? 0 : (double)truePositives / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            result[c] = new ClassMetrics(labels[c], precision, recall, f1, support);
        }

        return result;
    }

    /// <summary>Unweighted mean of the per-class F1 over all <paramref name="classes"/> classes.</summary>
    public static double MacroF1(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classes)
    {
        int[][] confusion = ConfusionMatrix(truth, predicted, classes);
        return PerClass(confusion, Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            .Average(c => c.F1);
    }

    /// <summary>
    /// Σ_b (n_b / n)·|accuracy_b − mean confidence_b| over <paramref name="bins"/> equal-width bins of the
    /// confidence, bin b holding b/bins &lt; confidence ≤ (b+1)/bins (Guo et al., 2017); 0 for no examples.
    /// </summary>
    public static double ExpectedCalibrationError(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct, int bins = CalibrationBins)
    {
        if (confidence.Length != correct.Length)
        {
            throw new ArgumentException("confidence and correct differ in length.");
        }

        if (confidence.Length == 0)
        {
            return 0;
        }

        var count = new int[bins];
        var confidenceSum = new double[bins];
        var correctCount = new int[bins];
        for (int i = 0; i < confidence.Length; i++)
        {
            double c = confidence[i];
            int bin = Math.Clamp((int)Math.Ceiling(c * bins) - 1, 0, bins - 1);
            // Settle values that land on an edge by the exact comparison lower < c ≤ upper.
            while (bin > 0 && c <= (double)bin / bins)
            {
                bin--;
            }

            while (bin < bins - 1 && c > (double)(bin + 1) / bins)
            {
                bin++;
            }

            count[bin]++;
            confidenceSum[bin] += c;
            correctCount[bin] += correct[i] ? 1 : 0;
        }

        double ece = 0;
        for (int b = 0; b < bins; b++)
        {
            if (count[b] > 0)
            {
                ece += (double)count[b] / confidence.Length * Math.Abs((double)correctCount[b] / count[b] - confidenceSum[b] / count[b]);
            }
        }

        return ece;
    }

    /// <summary>Pearson correlation of <paramref name="x"/> and <paramref name="y"/>; NaN when either is constant.</summary>
    public static double PearsonR(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("x and y differ in length.");
        }

        if (x.Length < 2)
        {
            return double.NaN;
        }

        double meanX = 0, meanY = 0;
        for (int i = 0; i < x.Length; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= x.Length;
        meanY /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>The polarity score P(pos) − P(neg) of each row of three-way probabilities.</summary>
    public static double[] PolarityScores(FeatureMatrix probabilities, int negativeColumn = 0, int positiveColumn = 2)
    {
        var scores = new double[probabilities.Rows];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = probabilities[i, positiveColumn] - probabilities[i, negativeColumn];
        }

        return scores;
    }
}
