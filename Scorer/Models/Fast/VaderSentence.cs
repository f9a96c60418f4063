using System.Collections.Frozen;

namespace Scorer.Models.Fast;

/// <summary>
/// The tokens of one text (vaderSentiment's <c>SentiText.words_and_emoticons</c>) as spans, with
/// per-token lookups done once: lower-cased form, lexicon valence, booster scalar, ALL-CAPS flag.
/// </summary>
internal readonly ref struct VaderSentence
{
    private readonly ReadOnlySpan<char> _lower;
    private readonly ReadOnlySpan<int> _starts;
    private readonly ReadOnlySpan<int> _lengths;
    private readonly ReadOnlySpan<double> _valences;
    private readonly ReadOnlySpan<double> _boosts;
    private readonly ReadOnlySpan<bool> _upper;

    public VaderSentence(
        ReadOnlySpan<char> lower,
        ReadOnlySpan<int> starts,
        ReadOnlySpan<int> lengths,
        ReadOnlySpan<double> valences,
        ReadOnlySpan<double> boosts,
        ReadOnlySpan<bool> upper,
        bool isCapDifferential)
    {
        _lower = lower;
        _starts = starts;
        _lengths = lengths;
        _valences = valences;
        _boosts = boosts;
        _upper = upper;
        IsCapDifferential = isCapDifferential;
    }

    /// <summary>Number of tokens.</summary>
    public int Count => _starts.Length;

    /// <summary><c>is_cap_diff</c>: some, but not all, tokens are ALL CAPS.</summary>
    public bool IsCapDifferential { get; }

    /// <summary>Lower-cased token <paramref name="i"/> (<c>item.lower()</c>).</summary>
    public ReadOnlySpan<char> Lower(int i) => _lower.Slice(_starts[i], _lengths[i]);

    /// <summary>Whether lower-cased token <paramref name="i"/> equals <paramref name="word"/>.</summary>
    public bool Is(int i, string word) => Lower(i).SequenceEqual(word);

    /// <summary>Whether token <paramref name="i"/> is in the sentiment lexicon.</summary>
    public bool InLexicon(int i) => !double.IsNaN(_valences[i]);

    /// <summary>Lexicon valence of token <paramref name="i"/> (NaN when absent).</summary>
    public double Valence(int i) => _valences[i];

    /// <summary>Whether token <paramref name="i"/> is a booster/dampener word.</summary>
    public bool IsBooster(int i) => !double.IsNaN(_boosts[i]);

    /// <summary>Booster scalar of token <paramref name="i"/> (NaN when absent).</summary>
    public double Boost(int i) => _boosts[i];

    /// <summary>Whether token <paramref name="i"/> is ALL CAPS (<c>str.isupper()</c>).</summary>
    public bool IsUpper(int i) => _upper[i];

    /// <summary><c>negated([word])</c>: a negation word or any word containing "n't".</summary>
    public bool IsNegation(int i)
    {
        ReadOnlySpan<char> word = Lower(i);
        return VaderConstants.NegationsBySpan.Contains(word) || word.Contains("n't", StringComparison.Ordinal);
    }

    /// <summary>
    /// Looks up the lower-cased tokens <paramref name="a"/>, <paramref name="b"/> (and
    /// <paramref name="c"/> when not negative) joined by single spaces in a phrase table.
    /// </summary>
    public bool TryGetPhrase(
        in FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> table,
        int a,
        int b,
        int c,
        out double value)
    {
        ReadOnlySpan<char> wa = Lower(a);
        ReadOnlySpan<char> wb = Lower(b);
        ReadOnlySpan<char> wc = c >= 0 ? Lower(c) : default;
        int length = wa.Length + 1 + wb.Length + (c >= 0 ? 1 + wc.Length : 0);
        if (length > VaderConstants.MaxPhraseLength)
        {
            value = 0;
            return false; // longer than every key: cannot match
        }

        Span<char> phrase = stackalloc char[length];
        wa.CopyTo(phrase);
        phrase[wa.Length] = ' ';
        wb.CopyTo(phrase[(wa.Length + 1)..]);
        if (c >= 0)
        {
            phrase[wa.Length + 1 + wb.Length] = ' ';
            wc.CopyTo(phrase[(wa.Length + 2 + wb.Length)..]);
        }

        return table.TryGetValue(phrase, out value);
    }
}
