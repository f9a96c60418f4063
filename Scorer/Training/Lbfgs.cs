namespace Scorer.Training;

/// <summary>
/// Limited-memory BFGS with a backtracking (Armijo) line search, for smooth full-batch objectives such as the
/// L2-regularised logistic regression head. Deterministic: no randomness, fixed summation order.
/// </summary>
internal static class Lbfgs
{
    /// <summary>Evaluates the objective at x, writing its gradient; returns its value.</summary>
    public delegate double Objective(ReadOnlySpan<float> x, Span<float> gradient);

    public sealed record Settings(int MaxIterations, double GradientTolerance, double RelativeTolerance, int Memory = 10);

    public sealed record Outcome(int Iterations, double Value, bool Converged, string StopReason);

    /// <summary>Minimises from <paramref name="x"/> (updated in place); <paramref name="onIteration"/> gets each accepted value.</summary>
    public static Outcome Minimize(
        Objective objective, float[] x, Settings settings, Action<double>? onIteration, CancellationToken cancellationToken)
    {
        int n = x.Length;
        int memory = settings.Memory;
        var s = new double[memory][];
        var y = new double[memory][];
        var rho = new double[memory];
        for (int i = 0; i < memory; i++)
        {
            s[i] = new double[n];
            y[i] = new double[n];
        }

        var gradient = new float[n];
        var trialGradient = new float[n];
        var trial = new float[n];
        var direction = new double[n];
        var alpha = new double[memory];
        int stored = 0;
        int newest = -1;
        int smallDecreases = 0;

        double value = objective(x, gradient);
        onIteration?.Invoke(value);
        for (int iteration = 1; iteration <= settings.MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (MaxAbs(gradient) <= settings.GradientTolerance)
            {
                return new Outcome(iteration - 1, value, true, "gradient below tolerance");
            }

            // Two-loop recursion: direction = -H·g.
            for (int i = 0; i < n; i++)
            {
                direction[i] = -gradient[i];
            }

            for (int j = 0; j < stored; j++)
            {
                int m = (newest - j + memory) % memory;
                alpha[m] = rho[m] * Dot(s[m], direction);
                Axpy(-alpha[m], y[m], direction);
            }

            double initialStep = 1.0;
            if (stored > 0)
            {
                Scale(Dot(s[newest], y[newest]) / Dot(y[newest], y[newest]), direction);
            }
            else
            {
                initialStep = 1.0 / Math.Max(1.0, Norm(direction));
            }

            for (int j = stored - 1; j >= 0; j--)
            {
                int m = (newest - j + memory) % memory;
                double beta = rho[m] * Dot(y[m], direction);
                Axpy(alpha[m] - beta, s[m], direction);
            }

            double slope = DotMixed(gradient, direction);
            if (slope >= 0)
            {
                // Not a descent direction (curvature information went stale): restart from steepest descent.
                stored = 0;
                for (int i = 0; i < n; i++)
                {
                    direction[i] = -gradient[i];
                }

                slope = DotMixed(gradient, direction);
                initialStep = 1.0 / Math.Max(1.0, Norm(direction));
            }

            double step = initialStep;
            double trialValue = double.NaN;
            bool accepted = false;
            for (int attempt = 0; attempt < 40; attempt++)
            {
                for (int i = 0; i < n; i++)
                {
                    trial[i] = (float)(x[i] + step * direction[i]);
                }

                trialValue = objective(trial, trialGradient);
                if (double.IsFinite(trialValue) && trialValue <= value + 1e-4 * step * slope)
                {
                    accepted = true;
                    break;
                }

                step *= 0.5;
            }

            if (!accepted)
            {
                return new Outcome(iteration - 1, value, MaxAbs(gradient) <= 10 * settings.GradientTolerance, "line search found no decrease");
            }

            int slot = (newest + 1) % memory;
            double sy = 0;
            for (int i = 0; i < n; i++)
            {
                s[slot][i] = (double)trial[i] - x[i];
                y[slot][i] = (double)trialGradient[i] - gradient[i];
                sy += s[slot][i] * y[slot][i];
            }

            if (sy > 1e-12)
            {
                rho[slot] = 1.0 / sy;
                newest = slot;
                stored = Math.Min(stored + 1, memory);
            }

            double previous = value;
            value = trialValue;
            trial.CopyTo(x, 0);
            trialGradient.CopyTo(gradient, 0);
            onIteration?.Invoke(value);
            // Two small decreases in a row: one alone may be a heavily backtracked step, not convergence.
            smallDecreases = previous - value <= settings.RelativeTolerance * Math.Max(1.0, Math.Max(Math.Abs(previous), Math.Abs(value)))
                ? smallDecreases + 1
                : 0;
            if (smallDecreases == 2)
            {
                return new Outcome(iteration, value, true, "relative decrease below tolerance");
            }
        }

        return new Outcome(settings.MaxIterations, value, false, "iteration limit");
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double DotMixed(float[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private static void Scale(double a, double[] x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }

    private static double Norm(double[] x) => Math.Sqrt(Dot(x, x));

    private static double MaxAbs(float[] x)
    {
        double max = 0;
        foreach (float value in x)
        {
            max = Math.Max(max, Math.Abs(value));
        }

        return max;
    }
}
