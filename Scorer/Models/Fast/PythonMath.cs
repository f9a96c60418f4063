namespace Scorer.Models.Fast;

/// <summary>Numeric helpers with the exact semantics of the Python reference.</summary>
internal static class PythonMath
{
    private static readonly double[] s_powersOfTen = [1, 10, 100, 1000, 10000, 100000, 1000000];

    /// <summary>
    /// Python's <c>round(x, digits)</c>: the decimal nearest to the exact binary value of
    /// <paramref name="x"/>, ties to even, returned as the nearest double. Unlike
    /// <see cref="Math.Round(double, int)"/> it is not fooled by the rounding of <c>x * 10^digits</c>.
    /// </summary>
    public static double Round(double x, int digits)
    {
        if (double.IsNaN(x) || double.IsInfinity(x))
        {
            return x;
        }

        double p = s_powersOfTen[digits];
        double y = x * p;
        if (Math.Abs(y) >= 4503599627370496.0)
        {
            return x; // already an integer multiple of 10^-digits in double precision
        }

        // y + err is the exact product x * p (err is exact thanks to the fused multiply-add).
        double err = Math.FusedMultiplyAdd(x, p, -y);
        double floor = Math.Floor(y);
        double diff = (y - floor) - 0.5; // exact: both terms are multiples of ulp(y)
        double rounded;
        if (diff > 0 || (diff == 0 && err > 0))
        {
            rounded = floor + 1;
        }
        else if (diff < 0 || (diff == 0 && err < 0))
        {
            rounded = floor;
        }
        else
        {
            rounded = Math.IEEERemainder(floor, 2) == 0 ? floor : floor + 1; // exact tie: to even
        }

        double result = rounded / p; // correctly rounded, like float(repr of the decimal)
        return result == 0 ? Math.CopySign(0.0, x) : result;
    }

    /// <summary>vaderSentiment <c>normalize</c>: maps an unbounded score into [-1, 1].</summary>
    public static double Normalize(double score, double alpha = VaderConstants.NormalizationAlpha)
    {
        double normScore = score / Math.Sqrt((score * score) + alpha);
        if (normScore < -1.0)
        {
            return -1.0;
        }

        return normScore > 1.0 ? 1.0 : normScore;
    }
}
