using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Scorer.Models.Fast;

/// <summary>
/// The VADER sentiment lexicon (token → mean valence) and emoji lexicon (emoji → textual
/// description), parsed once and immutable. <see cref="Embedded"/> is the lexicon of
/// vaderSentiment 3.3.2 shipped inside this assembly.
/// </summary>
public sealed class VaderLexicon
{
    private const string LexiconResource = "Vader.vader_lexicon.txt";
    private const string EmojiResource = "Vader.emoji_utf8_lexicon.txt";

    private static readonly Lazy<VaderLexicon> s_embedded =
        new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenDictionary<string, double> _valences;
    private readonly FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> _valencesBySpan;
    private readonly FrozenDictionary<int, string> _emojiByCodePoint;

    // One bit per UTF-16 unit that can start an emoji: a BMP emoji or the high surrogate of one.
    private readonly ulong[] _emojiStartBits = new ulong[(char.MaxValue + 1) / 64];

    private VaderLexicon(FrozenDictionary<string, double> valences, FrozenDictionary<int, string> emojiByCodePoint)
    {
        _valences = valences;
        _valencesBySpan = valences.GetAlternateLookup<ReadOnlySpan<char>>();
        _emojiByCodePoint = emojiByCodePoint;
        foreach (int codePoint in emojiByCodePoint.Keys)
        {
            int unit = codePoint <= char.MaxValue ? codePoint : char.ConvertFromUtf32(codePoint)[0];
            _emojiStartBits[unit >> 6] |= 1UL << (unit & 63);
        }

        MinEmojiChar = emojiByCodePoint.Count == 0
            ? char.MaxValue
            : (char)Math.Min(emojiByCodePoint.Keys.Min(), 0xD800);
    }

    /// <summary>The lexicons embedded in this assembly, loaded on first use.</summary>
    public static VaderLexicon Embedded => s_embedded.Value;

    /// <summary>Number of distinct tokens in the sentiment lexicon.</summary>
    public int Count => _valences.Count;

    /// <summary>Number of emoji that are replaced by their description before scoring.</summary>
    public int EmojiCount => _emojiByCodePoint.Count;

    /// <summary>Lowest UTF-16 unit that can start an emoji: texts below it need no emoji pass.</summary>
    internal char MinEmojiChar { get; }

    /// <summary>
    /// Parses the two lexicon files' contents: <c>token\tmean\tstdev\tratings</c> lines and
    /// <c>emoji\tdescription</c> lines (as vaderSentiment's <c>make_lex_dict</c> and
    /// <c>make_emoji_dict</c>: lines are stripped, later duplicates win).
    /// </summary>
    public static VaderLexicon Parse(string lexiconText, string emojiLexiconText)
    {
        ArgumentNullException.ThrowIfNull(lexiconText);
        ArgumentNullException.ThrowIfNull(emojiLexiconText);

        var valences = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach ((string key, string value) in Entries(lexiconText))
        {
            valences[key] = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        // vaderSentiment looks emoji up one code point at a time, so only single-code-point
        // entries can ever match; longer sequences (ZWJ, skin tones, flags) are unreachable.
        var emoji = new Dictionary<int, string>();
        foreach ((string key, string value) in Entries(emojiLexiconText))
        {
            if (key.Length == 1 && !char.IsSurrogate(key[0]))
            {
                emoji[key[0]] = value;
            }
            else if (key.Length == 2 && char.IsSurrogatePair(key[0], key[1]))
            {
                emoji[char.ConvertToUtf32(key[0], key[1])] = value;
            }
        }

        return new VaderLexicon(
            valences.ToFrozenDictionary(StringComparer.Ordinal),
            emoji.ToFrozenDictionary());
    }

    /// <summary>Valence of a lower-cased token, as <c>lexicon[token]</c> in vaderSentiment.</summary>
    public bool TryGetValence(ReadOnlySpan<char> token, out double valence) =>
        _valencesBySpan.TryGetValue(token, out valence);

    /// <summary>Cheap pre-filter: whether an emoji can start with the UTF-16 unit <paramref name="c"/>.</summary>
    internal bool MayStartEmoji(char c) => (_emojiStartBits[c >> 6] & (1UL << (c & 63))) != 0;

    /// <summary>Textual description of a single-code-point emoji.</summary>
    public bool TryGetEmojiDescription(int codePoint, out string description)
    {
        if (_emojiByCodePoint.TryGetValue(codePoint, out string? found))
        {
            description = found;
            return true;
        }

        description = string.Empty;
        return false;
    }

    private static List<(string Key, string Value)> Entries(string text)
    {
        var entries = new List<(string Key, string Value)>();
        foreach (string rawLine in text.TrimEnd('\n').Split('\n'))
        {
            ReadOnlySpan<char> line = PythonText.Strip(rawLine);
            if (line.IsEmpty)
            {
                continue;
            }

            int tab = line.IndexOf('\t');
            if (tab < 0)
            {
                throw new FormatException($"Lexicon line without a tab: '{rawLine}'.");
            }

            ReadOnlySpan<char> rest = line[(tab + 1)..];
            int nextTab = rest.IndexOf('\t');
            entries.Add((line[..tab].ToString(), (nextTab < 0 ? rest : rest[..nextTab]).ToString()));
        }

        return entries;
    }

    private static VaderLexicon LoadEmbedded()
    {
        Assembly assembly = typeof(VaderLexicon).Assembly;
        return Parse(ReadResource(assembly, LexiconResource), ReadResource(assembly, EmojiResource));
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using Stream stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
