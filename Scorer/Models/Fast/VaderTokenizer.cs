namespace Scorer.Models.Fast;

/// <summary>
/// Text preparation of vaderSentiment 3.3.2: emoji replaced by their lexicon description, then
/// <c>text.split()</c> with leading/trailing <c>string.punctuation</c> stripped from each token
/// unless that leaves two code points or fewer (emoticons such as ":)" survive intact).
/// </summary>
internal static class VaderTokenizer
{
    /// <summary>
    /// Replaces every single-code-point emoji known to <paramref name="lexicon"/> by its description,
    /// preceded by a space unless the previous character was a space (as <c>polarity_scores</c>).
    /// Returns <paramref name="text"/> itself when it contains no emoji.
    /// </summary>
    public static ReadOnlySpan<char> ReplaceEmoji(string text, VaderLexicon lexicon, VaderScratch scratch)
    {
        ReadOnlySpan<char> source = text;
        if (lexicon.EmojiCount == 0)
        {
            return source;
        }

        int candidate = source.IndexOfAnyExceptInRange('\0', (char)(lexicon.MinEmojiChar - 1));
        if (candidate < 0)
        {
            return source; // e.g. plain ASCII
        }

        int first = -1;
        for (int k = candidate; k < source.Length; k++)
        {
            if (lexicon.MayStartEmoji(source[k]) && IsEmojiAt(source, k, lexicon, out _, out _))
            {
                first = k;
                break;
            }
        }

        if (first < 0)
        {
            return source;
        }

        // Pass 1: measure. Pass 2: write. Both walk code points from the first emoji on.
        int length = first;
        for (int k = first; k < source.Length;)
        {
            if (IsEmojiAt(source, k, lexicon, out int units, out string description))
            {
                length += description.Length + 1;
            }
            else
            {
                length += units;
            }

            k += units;
        }

        char[] buffer = scratch.TextBuffer(length);
        source[..first].CopyTo(buffer);
        int w = first;
        bool prevSpace = first == 0 || source[first - 1] == ' ';
        for (int k = first; k < source.Length;)
        {
            if (IsEmojiAt(source, k, lexicon, out int units, out string description))
            {
                if (!prevSpace)
                {
                    buffer[w++] = ' ';
                }

                description.CopyTo(buffer.AsSpan(w));
                w += description.Length;
                prevSpace = false;
            }
            else
            {
                buffer[w++] = source[k];
                if (units == 2)
                {
                    buffer[w++] = source[k + 1];
                }

                prevSpace = source[k] == ' ';
            }

            k += units;
        }

        return buffer.AsSpan(0, w);
    }

    /// <summary>Upper bound of the number of tokens <see cref="Tokenize"/> can produce.</summary>
    public static int MaxTokens(int textLength) => (textLength + 1) / 2;

    /// <summary>
    /// Splits on Python whitespace and applies <c>_strip_punc_if_word</c> to each token; writes the
    /// token positions into <paramref name="starts"/> / <paramref name="lengths"/>.
    /// </summary>
    public static int Tokenize(ReadOnlySpan<char> text, Span<int> starts, Span<int> lengths)
    {
        int count = 0;
        int k = 0;
        while (k < text.Length)
        {
            while (k < text.Length && PythonText.IsWhitespace(text[k]))
            {
                k++;
            }

            if (k == text.Length)
            {
                break;
            }

            int start = k;
            while (k < text.Length && !PythonText.IsWhitespace(text[k]))
            {
                k++;
            }

            int end = k;
            int strippedStart = start;
            int strippedEnd = end;
            while (strippedStart < strippedEnd && PythonText.IsAsciiPunctuation(text[strippedStart]))
            {
                strippedStart++;
            }

            while (strippedEnd > strippedStart && PythonText.IsAsciiPunctuation(text[strippedEnd - 1]))
            {
                strippedEnd--;
            }

            int strippedLength = strippedEnd - strippedStart;
            bool keepOriginal = strippedLength <= 2
                || (strippedLength <= 4 && PythonText.CodePointLength(text.Slice(strippedStart, strippedLength)) <= 2);
            if (keepOriginal)
            {
                starts[count] = start;
                lengths[count] = end - start;
            }
            else
            {
                starts[count] = strippedStart;
                lengths[count] = strippedLength;
            }

            count++;
        }

        return count;
    }

    /// <summary>
    /// Whether the code point at <paramref name="k"/> (one or two UTF-16 units, reported in
    /// <paramref name="units"/>) is an emoji of the lexicon.
    /// </summary>
    private static bool IsEmojiAt(ReadOnlySpan<char> s, int k, VaderLexicon lexicon, out int units, out string description)
    {
        char c = s[k];
        bool pair = char.IsHighSurrogate(c) && k + 1 < s.Length && char.IsLowSurrogate(s[k + 1]);
        units = pair ? 2 : 1;
        if (!lexicon.MayStartEmoji(c))
        {
            description = string.Empty;
            return false;
        }

        return lexicon.TryGetEmojiDescription(pair ? char.ConvertToUtf32(c, s[k + 1]) : c, out description);
    }
}
