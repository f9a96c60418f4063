namespace Scorer.Models.Fast;

/// <summary>
/// C# port of the VADER sentiment analyser (Hutto &amp; Gilbert, ICWSM 2014; reference
/// implementation cjhutto/vaderSentiment 3.3.2, MIT). Stateless apart from the immutable
/// lexicon: one instance can be shared by any number of threads.
/// </summary>
public sealed class VaderAnalyzer
{
    private readonly VaderLexicon _lexicon;

    /// <summary>An analyser over the embedded vaderSentiment 3.3.2 lexicons.</summary>
    public VaderAnalyzer()
        : this(VaderLexicon.Embedded)
    {
    }

    /// <summary>An analyser over the given lexicons.</summary>
    public VaderAnalyzer(VaderLexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        _lexicon = lexicon;
    }

    /// <summary>The lexicons this analyser scores with.</summary>
    public VaderLexicon Lexicon => _lexicon;

    /// <summary>
    /// "positive" when <paramref name="compound"/> ≥ 0.05, "negative" when ≤ -0.05, else "neutral"
    /// (the thresholds recommended by the VADER authors).
    /// </summary>
    public static string Label(double compound) =>
        compound >= VaderConstants.PositiveThreshold ? "positive"
        : compound <= VaderConstants.NegativeThreshold ? "negative"
        : "neutral";

    /// <summary>
    /// vaderSentiment's <c>polarity_scores</c>: negative / neutral / positive proportions and the
    /// compound score of <paramref name="text"/>, rounded as the reference does.
    /// </summary>
    public VaderScores PolarityScores(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        VaderScratch scratch = VaderScratch.Rent();
        try
        {
            return Score(text, scratch);
        }
        finally
        {
            VaderScratch.Return(scratch);
        }
    }

    private VaderScores Score(string text, VaderScratch scratch)
    {
        ReadOnlySpan<char> prepared = VaderTokenizer.ReplaceEmoji(text, _lexicon, scratch);

        scratch.EnsureTokens(VaderTokenizer.MaxTokens(prepared.Length));
        int n = VaderTokenizer.Tokenize(prepared, scratch.Starts, scratch.Lengths);
        if (n == 0)
        {
            return VaderScores.Empty;
        }

        Span<char> lower = scratch.LowerBuffer(prepared.Length).AsSpan(0, prepared.Length);
        prepared.ToLowerInvariant(lower);

        ReadOnlySpan<int> starts = scratch.Starts.AsSpan(0, n);
        ReadOnlySpan<int> lengths = scratch.Lengths.AsSpan(0, n);
        Span<double> valences = scratch.Valences.AsSpan(0, n);
        Span<double> boosts = scratch.Boosts.AsSpan(0, n);
        Span<bool> upper = scratch.Upper.AsSpan(0, n);

        int allCaps = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<char> word = lower.Slice(starts[i], lengths[i]);
            valences[i] = _lexicon.TryGetValence(word, out double valence) ? valence : double.NaN;
            boosts[i] = VaderConstants.BoostersBySpan.TryGetValue(word, out double boost) ? boost : double.NaN;
            bool isUpper = PythonText.IsUpper(prepared.Slice(starts[i], lengths[i]));
            upper[i] = isUpper;
            if (isUpper)
            {
                allCaps++;
            }
        }

        // allcap_differential: ALL CAPS is emphasis only when some, but not all, tokens are ALL CAPS.
        bool isCapDifferential = allCaps > 0 && allCaps < n;

        var sentence = new VaderSentence(lower, starts, lengths, valences, boosts, upper, isCapDifferential);
        Span<double> sentiments = scratch.Sentiments.AsSpan(0, n);
        VaderRules.TokenValences(sentence, sentiments);
        VaderRules.ButCheck(sentence, sentiments);
        return VaderRules.ScoreValence(sentiments, prepared);
    }
}
