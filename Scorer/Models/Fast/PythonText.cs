using System.Globalization;

namespace Scorer.Models.Fast;

/// <summary>
/// The few Python <c>str</c> semantics that vaderSentiment relies on (<c>split()</c> whitespace,
/// <c>strip(string.punctuation)</c>, <c>isupper()</c>, code-point <c>len()</c>), re-implemented
/// over spans so that tokenisation matches the reference implementation without allocations.
/// </summary>
internal static class PythonText
{
    // string.punctuation: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private static readonly bool[] s_asciiPunctuation = BuildAsciiTable(AsciiPunctuation);

    // Python's ASCII whitespace for str.split()/str.strip(): \t \n \v \f \r, \x1c-\x1f and space.
    private static readonly bool[] s_asciiWhitespace = BuildAsciiTable("\t\n\v\f\r\x1c\x1d\x1e\x1f ");

    private static bool[] BuildAsciiTable(string chars)
    {
        var table = new bool[128];
        foreach (char c in chars)
        {
            table[c] = true;
        }

        return table;
    }

    /// <summary>True for a character in Python's <c>string.punctuation</c>.</summary>
    public static bool IsAsciiPunctuation(char c) => c < 128 && s_asciiPunctuation[c];

    /// <summary>True for a character that Python's <c>str.split()</c> splits on (<c>str.isspace()</c>).</summary>
    public static bool IsWhitespace(char c)
    {
        if (c < 128)
        {
            return s_asciiWhitespace[c];
        }

        return c switch
        {
            '\u0085' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
            >= '\u2000' and <= '\u200A' => true,
            _ => false,
        };
    }

    /// <summary>Python's <c>str.strip()</c> without arguments.</summary>
    public static ReadOnlySpan<char> Strip(ReadOnlySpan<char> s)
    {
        int start = 0;
        int end = s.Length;
        while (start < end && IsWhitespace(s[start]))
        {
            start++;
        }

        while (end > start && IsWhitespace(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    /// <summary>Number of Unicode code points (Python's <c>len</c>) of a UTF-16 span.</summary>
    public static int CodePointLength(ReadOnlySpan<char> s)
    {
        int count = s.Length;
        for (int k = 0; k + 1 < s.Length; k++)
        {
            if (char.IsHighSurrogate(s[k]) && char.IsLowSurrogate(s[k + 1]))
            {
                count--;
                k++;
            }
        }

        return count;
    }

    /// <summary>
    /// Python's <c>str.isupper()</c>: at least one cased character and no lowercase or titlecase one.
    /// </summary>
    public static bool IsUpper(ReadOnlySpan<char> s)
    {
        bool cased = false;
        for (int k = 0; k < s.Length; k++)
        {
            char c = s[k];
            if (c < 128)
            {
                if ((uint)(c - 'a') <= 'z' - 'a')
                {
                    return false;
                }

                if ((uint)(c - 'A') <= 'Z' - 'A')
                {
                    cased = true;
                }

                continue;
            }

            int cp = c;
            if (char.IsHighSurrogate(c) && k + 1 < s.Length && char.IsLowSurrogate(s[k + 1]))
            {
                cp = char.ConvertToUtf32(c, s[k + 1]);
                k++;
            }

            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(cp);
            if (category is UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter || IsOtherLowercase(cp))
            {
                return false;
            }

            if (category == UnicodeCategory.UppercaseLetter || IsOtherUppercase(cp))
            {
                cased = true;
            }
        }

        return cased;
    }

    // Unicode Other_Uppercase: Roman numerals, circled/squared Latin capitals.
    private static bool IsOtherUppercase(int cp) =>
        cp is (>= 0x2160 and <= 0x216F) or (>= 0x24B6 and <= 0x24CF)
            or (>= 0x1F130 and <= 0x1F149) or (>= 0x1F150 and <= 0x1F169) or (>= 0x1F170 and <= 0x1F189);

    // Unicode Other_Lowercase (modifier letters, ordinal indicators, small Roman numerals, circled small letters...).
    private static bool IsOtherLowercase(int cp) =>
        cp is 0x00AA or 0x00BA or (>= 0x02B0 and <= 0x02B8) or 0x02C0 or 0x02C1 or (>= 0x02E0 and <= 0x02E4)
            or 0x0345 or 0x037A or 0x10FC or (>= 0x1D2C and <= 0x1D6A) or 0x1D78 or (>= 0x1D9B and <= 0x1DBF)
            or 0x2071 or 0x207F or (>= 0x2090 and <= 0x209C) or (>= 0x2170 and <= 0x217F) or (>= 0x24D0 and <= 0x24E9)
            or 0x2C7C or 0x2C7D or 0xA69C or 0xA69D or 0xA770 or (>= 0xA7F2 and <= 0xA7F4) or 0xA7F8 or 0xA7F9
            or (>= 0xAB5C and <= 0xAB5F) or 0xAB69;
}
