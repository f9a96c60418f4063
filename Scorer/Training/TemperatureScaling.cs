namespace Scorer.Training;

/// <summary>A fitted temperature and what it did to the held-out log-loss and calibration error.</summary>
public sealed record TemperatureFit(double Temperature, double NllBefore, double NllAfter, double EceBefore, double EceAfter);

/// <summary>
/// Temperature scaling (Guo et al., 2017): one T > 0 dividing all logits, fitted on held-out (dev) logits to
/// minimise the negative log-likelihood. The NLL is convex in β = 1/T, so a golden-section search over
/// log T in [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>] finds its minimum. Accuracy and
/// macro-F1 are unchanged: dividing by T keeps the argmax.
/// </summary>
public static class TemperatureScaling
{
    public const double MinTemperature = 0.05;
    public const double MaxTemperature = 20.0;

    public static TemperatureFit Fit(FeatureMatrix logits, ReadOnlySpan<int> labels, IReadOnlyList<string>? labelNames = null)
    {
        if (logits.Rows != labels.Length || logits.Rows == 0)
        {
            throw new ArgumentException($"Need one label per row of logits (and at least one row); got {labels.Length} for {logits.Rows}.", nameof(labels));
        }

        int[] labelArray = labels.ToArray();
        double Nll(double logTemperature) => Probabilities.NegativeLogLikelihood(logits, labelArray, Math.Exp(logTemperature));

        double invPhi = (Math.Sqrt(5) - 1) / 2;
        double a = Math.Log(MinTemperature), b = Math.Log(MaxTemperature);
        double c = b - invPhi * (b - a), d = a + invPhi * (b - a);
        double fc = Nll(c), fd = Nll(d);
        while (b - a > 1e-6)
        {
            if (fc < fd)
            {
                (b, d, fd) = (d, c, fc);
                c = b - invPhi * (b - a);
                fc = Nll(c);
            }
            else
            {
                (a, c, fc) = (c, d, fd);
                d = a + invPhi * (b - a);
                fd = Nll(d);
            }
        }

        double temperature = Math.Exp((a + b) / 2);
        double nllBefore = Nll(0);
        double nllAfter = Nll(Math.Log(temperature));
        if (nllAfter > nllBefore)
        {
            // Only possible when the optimum is T = 1 to within the search tolerance.
            (temperature, nllAfter) = (1.0, nllBefore);
        }

        IReadOnlyList<string> names = labelNames ?? Enumerable.Range(0, logits.Columns).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        double eceBefore = EvaluationMetrics.Classify(labels, Probabilities.FromLogits(logits), names).Ece;
        double eceAfter = EvaluationMetrics.Classify(labels, Probabilities.FromLogits(logits, temperature), names).Ece;
        return new TemperatureFit(temperature, nllBefore, nllAfter, eceBefore, eceAfter);
    }
}
