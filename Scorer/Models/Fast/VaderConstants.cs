using System.Collections.Frozen;

namespace Scorer.Models.Fast;

/// <summary>
/// Word lists and empirically derived constants of VADER (vaderSentiment 3.3.2, MIT,
/// Hutto &amp; Gilbert, ICWSM 2014). Names in the comments are those of the Python module.
/// </summary>
public static class VaderConstants
{
    /// <summary>B_INCR: mean intensity increase caused by a booster word.</summary>
    public const double BIncr = 0.293;

    /// <summary>B_DECR: mean intensity decrease caused by a dampener word.</summary>
    public const double BDecr = -0.293;

    /// <summary>C_INCR: mean intensity increase of a word written in ALL CAPS in mixed-case text.</summary>
    public const double CIncr = 0.733;

    /// <summary>N_SCALAR: factor applied to a negated valence.</summary>
    public const double NScalar = -0.74;

    /// <summary>Intensity added per exclamation mark (at most <see cref="MaxExclamationMarks"/> count).</summary>
    public const double ExclamationIncr = 0.292;

    /// <summary>Number of exclamation marks that add emphasis at most.</summary>
    public const int MaxExclamationMarks = 4;

    /// <summary>Intensity added per question mark when there are two or three of them.</summary>
    public const double QuestionIncr = 0.18;

    /// <summary>Intensity added by four or more question marks.</summary>
    public const double QuestionMax = 0.96;

    /// <summary>Alpha of the compound normalisation <c>x / sqrt(x*x + alpha)</c>.</summary>
    public const double NormalizationAlpha = 15;

    /// <summary>Compound score at or above which a text is labelled positive.</summary>
    public const double PositiveThreshold = 0.05;

    /// <summary>Compound score at or below which a text is labelled negative.</summary>
    public const double NegativeThreshold = -0.05;

    /// <summary>NEGATE: words that negate the sentiment of the lexicon word that follows them.</summary>
    public static readonly FrozenSet<string> Negations = FrozenSet.ToFrozenSet(
    [
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
        "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
        "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
        "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
        "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
        "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
        "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
        "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
    ], StringComparer.Ordinal);

    /// <summary>BOOSTER_DICT: booster (intensifier) and dampener words with their scalar.</summary>
    public static readonly FrozenDictionary<string, double> Boosters = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["absolutely"] = BIncr, ["amazingly"] = BIncr, ["awfully"] = BIncr,
        ["completely"] = BIncr, ["considerable"] = BIncr, ["considerably"] = BIncr,
        ["decidedly"] = BIncr, ["deeply"] = BIncr, ["effing"] = BIncr, ["enormous"] = BIncr, ["enormously"] = BIncr,
        ["entirely"] = BIncr, ["especially"] = BIncr, ["exceptional"] = BIncr, ["exceptionally"] = BIncr,
        ["extreme"] = BIncr, ["extremely"] = BIncr,
        ["fabulously"] = BIncr, ["flipping"] = BIncr, ["flippin"] = BIncr, ["frackin"] = BIncr, ["fracking"] = BIncr,
        ["fricking"] = BIncr, ["frickin"] = BIncr, ["frigging"] = BIncr, ["friggin"] = BIncr, ["fully"] = BIncr,
        ["fuckin"] = BIncr, ["fucking"] = BIncr, ["fuggin"] = BIncr, ["fugging"] = BIncr,
        ["greatly"] = BIncr, ["hella"] = BIncr, ["highly"] = BIncr, ["hugely"] = BIncr,
        ["incredible"] = BIncr, ["incredibly"] = BIncr, ["intensely"] = BIncr,
        ["major"] = BIncr, ["majorly"] = BIncr, ["more"] = BIncr, ["most"] = BIncr, ["particularly"] = BIncr,
        ["purely"] = BIncr, ["quite"] = BIncr, ["really"] = BIncr, ["remarkably"] = BIncr,
        ["so"] = BIncr, ["substantially"] = BIncr,
        ["thoroughly"] = BIncr, ["total"] = BIncr, ["totally"] = BIncr, ["tremendous"] = BIncr, ["tremendously"] = BIncr,
        ["uber"] = BIncr, ["unbelievably"] = BIncr, ["unusually"] = BIncr, ["utter"] = BIncr, ["utterly"] = BIncr,
        ["very"] = BIncr,
        ["almost"] = BDecr, ["barely"] = BDecr, ["hardly"] = BDecr, ["just enough"] = BDecr,
        ["kind of"] = BDecr, ["kinda"] = BDecr, ["kindof"] = BDecr, ["kind-of"] = BDecr,
        ["less"] = BDecr, ["little"] = BDecr, ["marginal"] = BDecr, ["marginally"] = BDecr,
        ["occasional"] = BDecr, ["occasionally"] = BDecr, ["partly"] = BDecr,
        ["scarce"] = BDecr, ["scarcely"] = BDecr, ["slight"] = BDecr, ["slightly"] = BDecr, ["somewhat"] = BDecr,
        ["sort of"] = BDecr, ["sorta"] = BDecr, ["sortof"] = BDecr, ["sort-of"] = BDecr,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// SPECIAL_CASES: idioms and phrases containing lexicon words; when one surrounds a lexicon word
    /// its value replaces the word's valence.
    /// </summary>
    public static readonly FrozenDictionary<string, double> SpecialCases = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["the shit"] = 3, ["the bomb"] = 3, ["bad ass"] = 1.5, ["badass"] = 1.5, ["bus stop"] = 0.0,
        ["yeah right"] = -2, ["kiss of death"] = -1.5, ["to die for"] = 3,
        ["beating heart"] = 3.1, ["broken heart"] = -2.9,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// SENTIMENT_LADEN_IDIOMS: idioms without lexicon words. Declared but unused ("future work")
    /// in vaderSentiment 3.3.2; kept here for completeness and likewise not used in scoring.
    /// </summary>
    public static readonly FrozenDictionary<string, double> SentimentLadenIdioms = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["cut the mustard"] = 2, ["hand to mouth"] = -2,
        ["back handed"] = -2, ["blow smoke"] = -2, ["blowing smoke"] = -2,
        ["upper hand"] = 1, ["break a leg"] = 2,
        ["cooking with gas"] = 2, ["in the black"] = 2, ["in the red"] = -2,
        ["on the ball"] = 2, ["under the weather"] = -2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Span-keyed views, built once, for allocation-free lookups in the hot path.
    internal static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NegationsBySpan =
        Negations.GetAlternateLookup<ReadOnlySpan<char>>();

    internal static readonly FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> BoostersBySpan =
        Boosters.GetAlternateLookup<ReadOnlySpan<char>>();

    internal static readonly FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> SpecialCasesBySpan =
        SpecialCases.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Longest key among the multi-word phrases looked up by the idiom rule.</summary>
    internal static readonly int MaxPhraseLength = Math.Max(
        SpecialCases.Keys.Max(k => k.Length), Boosters.Keys.Max(k => k.Length));
}
