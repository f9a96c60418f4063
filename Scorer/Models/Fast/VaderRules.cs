using static Scorer.Models.Fast.VaderConstants;

namespace Scorer.Models.Fast;

/// <summary>
/// The heuristics of vaderSentiment 3.3.2 (<c>sentiment_valence</c> and the checks it calls,
/// <c>_but_check</c>, punctuation emphasis, <c>_sift_sentiment_scores</c>), ported rule for rule,
/// including the reference implementation's quirks so that scores match it exactly.
/// </summary>
internal static class VaderRules
{
    /// <summary>Valence of every token, before the "but" rule (the loop of <c>polarity_scores</c>).</summary>
    public static void TokenValences(in VaderSentence s, Span<double> sentiments)
    {
        int n = s.Count;
        for (int i = 0; i < n; i++)
        {
            // Boosters/dampeners and "kind of" only modify their neighbours.
            if (s.IsBooster(i) || (i < n - 1 && s.Is(i, "kind") && s.Is(i + 1, "of")))
            {
                sentiments[i] = 0;
                continue;
            }

            sentiments[i] = SentimentValence(s, i);
        }
    }

    /// <summary><c>sentiment_valence</c>: valence of a lexicon token adjusted by its context.</summary>
    public static double SentimentValence(in VaderSentence s, int i)
    {
        if (!s.InLexicon(i))
        {
            return 0;
        }

        int n = s.Count;
        double lexiconValence = s.Valence(i);
        double valence = lexiconValence;

        // "no" directly before another lexicon word acts as a negation, not as a word of its own.
        if (i != n - 1 && s.Is(i, "no") && s.InLexicon(i + 1))
        {
            valence = 0.0;
        }

        if ((i > 0 && s.Is(i - 1, "no"))
            || (i > 1 && s.Is(i - 2, "no"))
            || (i > 2 && s.Is(i - 3, "no") && (s.Is(i - 1, "or") || s.Is(i - 1, "nor"))))
        {
            valence = lexiconValence * NScalar;
        }

        // ALL CAPS emphasis, only when the text mixes cases.
        if (s.IsUpper(i) && s.IsCapDifferential)
        {
            if (valence > 0)
            {
                valence += CIncr;
            }
            else
            {
                valence -= CIncr;
            }
        }

        // Up to three preceding non-lexicon words: boosters (decaying with distance), negations, idioms.
        for (int startI = 0; startI < 3; startI++)
        {
            int j = i - (startI + 1);
            if (i > startI && !s.InLexicon(j))
            {
                double scalar = ScalarIncDec(s, j, valence);
                if (startI == 1 && scalar != 0)
                {
                    scalar *= 0.95;
                }

                if (startI == 2 && scalar != 0)
                {
                    scalar *= 0.9;
                }

                valence += scalar;
                valence = NegationCheck(s, valence, startI, i);
                if (startI == 2)
                {
                    valence = SpecialIdiomsCheck(s, valence, i);
                }
            }
        }

        return LeastCheck(s, valence, i);
    }

    /// <summary><c>scalar_inc_dec</c>: boost of a preceding booster/dampener word.</summary>
    public static double ScalarIncDec(in VaderSentence s, int j, double valence)
    {
        if (!s.IsBooster(j))
        {
            return 0.0;
        }

        double scalar = s.Boost(j);
        if (valence < 0)
        {
            scalar *= -1;
        }

        if (s.IsUpper(j) && s.IsCapDifferential)
        {
            if (valence > 0)
            {
                scalar += CIncr;
            }
            else
            {
                scalar -= CIncr;
            }
        }

        return scalar;
    }

    /// <summary><c>_negation_check</c>, including the "never so/this" and "without doubt" rules.</summary>
    public static double NegationCheck(in VaderSentence s, double valence, int startI, int i)
    {
        switch (startI)
        {
            case 0:
                if (s.IsNegation(i - 1))
                {
                    valence *= NScalar;
                }

                break;

            case 1:
                if (s.Is(i - 2, "never") && (s.Is(i - 1, "so") || s.Is(i - 1, "this")))
                {
                    valence *= 1.25;
                }
                else if (s.Is(i - 2, "without") && s.Is(i - 1, "doubt"))
                {
                    // "without doubt" is not a negation.
                }
                else if (s.IsNegation(i - 2))
                {
                    valence *= NScalar;
                }

                break;

            case 2:
                // As in the reference, "so"/"this" right before the word also amplifies here
                // (Python precedence: `never and (so or this) or (so or this)`).
                if ((s.Is(i - 3, "never") && (s.Is(i - 2, "so") || s.Is(i - 2, "this")))
                    || s.Is(i - 1, "so") || s.Is(i - 1, "this"))
                {
                    valence *= 1.25;
                }
                else if (s.Is(i - 3, "without") && (s.Is(i - 2, "doubt") || s.Is(i - 1, "doubt")))
                {
                    // "without (a) doubt" is not a negation.
                }
                else if (s.IsNegation(i - 3))
                {
                    valence *= NScalar;
                }

                break;
        }

        return valence;
    }

    /// <summary><c>_special_idioms_check</c>: idioms around the word and "kind of"-style bigrams.</summary>
    public static double SpecialIdiomsCheck(in VaderSentence s, double valence, int i)
    {
        int n = s.Count;
        var cases = SpecialCasesBySpan;

        // onezero, twoonezero, twoone, threetwoone, threetwo: the first match wins.
        if (s.TryGetPhrase(cases, i - 1, i, -1, out double v)
            || s.TryGetPhrase(cases, i - 2, i - 1, i, out v)
            || s.TryGetPhrase(cases, i - 2, i - 1, -1, out v)
            || s.TryGetPhrase(cases, i - 3, i - 2, i - 1, out v)
            || s.TryGetPhrase(cases, i - 3, i - 2, -1, out v))
        {
            valence = v;
        }

        if (n - 1 > i && s.TryGetPhrase(cases, i, i + 1, -1, out v))
        {
            valence = v; // zeroone
        }

        if (n - 1 > i + 1 && s.TryGetPhrase(cases, i, i + 1, i + 2, out v))
        {
            valence = v; // zeroonetwo
        }

        // Multi-word boosters/dampeners such as "sort of" or "kind of" before the word.
        var boosters = BoostersBySpan;
        if (s.TryGetPhrase(boosters, i - 3, i - 2, i - 1, out v))
        {
            valence += v;
        }

        if (s.TryGetPhrase(boosters, i - 3, i - 2, -1, out v))
        {
            valence += v;
        }

        if (s.TryGetPhrase(boosters, i - 2, i - 1, -1, out v))
        {
            valence += v;
        }

        return valence;
    }

    /// <summary><c>_least_check</c>: "least X" negates X, except "at least" and "very least".</summary>
    public static double LeastCheck(in VaderSentence s, double valence, int i)
    {
        if (i > 1 && !s.InLexicon(i - 1) && s.Is(i - 1, "least"))
        {
            if (!s.Is(i - 2, "at") && !s.Is(i - 2, "very"))
            {
                valence *= NScalar;
            }
        }
        else if (i > 0 && !s.InLexicon(i - 1) && s.Is(i - 1, "least"))
        {
            valence *= NScalar;
        }

        return valence;
    }

    /// <summary>
    /// <c>_but_check</c>: halves sentiments before the first "but" and multiplies those after it
    /// by 1.5. Like the reference, which locates each value with <c>list.index(value)</c>, a value
    /// always updates the first position holding an equal value.
    /// </summary>
    public static void ButCheck(in VaderSentence s, Span<double> sentiments)
    {
        int n = s.Count;
        int bi = -1;
        for (int k = 0; k < n; k++)
        {
            if (s.Is(k, "but"))
            {
                bi = k;
                break;
            }
        }

        if (bi < 0)
        {
            return;
        }

        for (int k = 0; k < n; k++)
        {
            double sentiment = sentiments[k];
            if (sentiment == 0)
            {
                continue; // 0 * 0.5 == 0 * 1.5 == 0: no observable change
            }

            int si = sentiments[..(k + 1)].IndexOf(sentiment);
            if (si < bi)
            {
                sentiments[si] = sentiment * 0.5;
            }
            else if (si > bi)
            {
                sentiments[si] = sentiment * 1.5;
            }
        }
    }

    /// <summary><c>_punctuation_emphasis</c>: amplifier from '!' (up to 4) and '?' (2 or more).</summary>
    public static double PunctuationEmphasis(ReadOnlySpan<char> text)
    {
        int epCount = Math.Min(text.Count('!'), MaxExclamationMarks);
        double epAmplifier = epCount * ExclamationIncr;

        int qmCount = text.Count('?');
        double qmAmplifier = 0;
        if (qmCount > 1)
        {
            qmAmplifier = qmCount <= 3 ? qmCount * QuestionIncr : QuestionMax;
        }

        return epAmplifier + qmAmplifier;
    }

    /// <summary><c>score_valence</c> with <c>_sift_sentiment_scores</c>: the final four scores.</summary>
    public static VaderScores ScoreValence(ReadOnlySpan<double> sentiments, ReadOnlySpan<char> text)
    {
        if (sentiments.IsEmpty)
        {
            return VaderScores.Empty;
        }

        double sum = 0;
        foreach (double sentiment in sentiments)
        {
            sum += sentiment;
        }

        double punctuation = PunctuationEmphasis(text);
        if (sum > 0)
        {
            sum += punctuation;
        }
        else if (sum < 0)
        {
            sum -= punctuation;
        }

        double compound = PythonMath.Normalize(sum);

        double posSum = 0.0;
        double negSum = 0.0;
        int neuCount = 0;
        foreach (double sentiment in sentiments)
        {
            if (sentiment > 0)
            {
                posSum += sentiment + 1; // compensates for neutral words that are counted as 1
            }

            if (sentiment < 0)
            {
                negSum += sentiment - 1;
            }

            if (sentiment == 0)
            {
                neuCount++;
            }
        }

        if (posSum > Math.Abs(negSum))
        {
            posSum += punctuation;
        }
        else if (posSum < Math.Abs(negSum))
        {
            negSum -= punctuation;
        }

        double total = posSum + Math.Abs(negSum) + neuCount;
        double pos = Math.Abs(posSum / total);
        double neg = Math.Abs(negSum / total);
        double neu = Math.Abs(neuCount / total);

        return new VaderScores(
            PythonMath.Round(neg, 3),
            PythonMath.Round(neu, 3),
            PythonMath.Round(pos, 3),
            PythonMath.Round(compound, 4));
    }
}
