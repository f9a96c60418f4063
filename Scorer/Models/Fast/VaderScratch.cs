namespace Scorer.Models.Fast;

/// <summary>
/// Per-call working buffers, cached per thread so that scoring allocates nothing in the
/// steady state. An instance is owned by exactly one call at a time (rent / return).
/// </summary>
internal sealed class VaderScratch
{
    // Buffers grown beyond this many chars are dropped after use instead of being kept per thread.
    private const int MaxRetainedChars = 1 << 16;

    [ThreadStatic]
    private static VaderScratch? t_cached;

    public char[] Text = [];
    public char[] Lower = [];
    public int[] Starts = [];
    public int[] Lengths = [];
    public double[] Valences = [];
    public double[] Boosts = [];
    public bool[] Upper = [];
    public double[] Sentiments = [];

    public static VaderScratch Rent()
    {
        VaderScratch? scratch = t_cached;
        t_cached = null;
        return scratch ?? new VaderScratch();
    }

    public static void Return(VaderScratch scratch)
    {
        if (scratch.Lower.Length <= MaxRetainedChars && scratch.Text.Length <= MaxRetainedChars)
        {
            t_cached = scratch;
        }
    }

    public char[] TextBuffer(int length)
    {
        if (Text.Length < length)
        {
            Text = new char[Grow(length)];
        }

        return Text;
    }

    public char[] LowerBuffer(int length)
    {
        if (Lower.Length < length)
        {
            Lower = new char[Grow(length)];
        }

        return Lower;
    }

    public void EnsureTokens(int count)
    {
        if (Starts.Length >= count)
        {
            return;
        }

        int size = Grow(count);
        Starts = new int[size];
        Lengths = new int[size];
        Valences = new double[size];
        Boosts = new double[size];
        Upper = new bool[size];
        Sentiments = new double[size];
    }

    private static int Grow(int needed) => Math.Max(needed, 256);
}
