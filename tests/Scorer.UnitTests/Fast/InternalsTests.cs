using Scorer.Models.Fast;

namespace Scorer.UnitTests.Fast;

/// <summary>The Python semantics the port depends on: rounding, isupper, tokenisation, lexicon parsing.</summary>
public sealed class InternalsTests
{
    [Theory]
    [InlineData(0.0025, 3, 0.003)] // exact value is just above the tie
    [InlineData(0.0055, 3, 0.005)] // exact value is just below the tie, although 0.0055 * 1000 rounds to 5.5
    [InlineData(0.8125, 3, 0.812)] // exact tie: to even
    [InlineData(2.675, 2, 2.67)]
    [InlineData(0.83157, 4, 0.8316)]
    [InlineData(-0.74239, 4, -0.7424)]
    public void Round_matches_python_round(double value, int digits, double expected)
    {
        Assert.Equal(expected, PythonMath.Round(value, digits));
    }

    [Theory]
    [InlineData("VADER", true)]
    [InlineData(":D", true)]
    [InlineData("I'LL", true)]
    [InlineData("ÉCOLE", true)]
    [InlineData("Ⅻ", true)] // Other_Uppercase
    [InlineData("Vader", false)]
    [InlineData("123", false)]
    [InlineData(":)", false)]
    [InlineData("ǅ", false)] // titlecase
    [InlineData("Aª", false)] // Other_Lowercase
    public void IsUpper_matches_python_str_isupper(string text, bool expected)
    {
        Assert.Equal(expected, PythonText.IsUpper(text));
    }

    [Theory]
    [InlineData("VADER is smart, handsome, and funny.", "VADER|is|smart|handsome|and|funny")]
    [InlineData("Make sure you :) or :D today!", "Make|sure|you|:)|or|:D|today")]
    [InlineData("it is, so. ok!!", "it|is,|so.|ok!!")] // two letters or fewer once stripped: kept as written
    [InlineData("  'quoted'  \"words\"\u00A0(here)", "quoted|words|here")]
    [InlineData("don't!? won't... n't", "don't|won't|n't")]
    public void Tokenizer_strips_surrounding_punctuation_unless_two_chars_or_fewer_remain(string text, string expected)
    {
        var starts = new int[VaderTokenizer.MaxTokens(text.Length)];
        var lengths = new int[starts.Length];

        int count = VaderTokenizer.Tokenize(text, starts, lengths);

        string tokens = string.Join('|', Enumerable.Range(0, count).Select(i => text.Substring(starts[i], lengths[i])));
        Assert.Equal(expected, tokens);
    }

    [Fact]
    public void Embedded_lexicon_loads_every_entry_once()
    {
        VaderLexicon lexicon = VaderLexicon.Embedded;

        Assert.Same(lexicon, VaderLexicon.Embedded);
        Assert.Equal(7506, lexicon.Count); // 7,520 lines, later duplicates win
        Assert.Equal(1212, lexicon.EmojiCount); // single-code-point emoji only
        Assert.True(lexicon.TryGetValence("good", out double good));
        Assert.Equal(1.9, good);
        Assert.True(lexicon.TryGetEmojiDescription(char.ConvertToUtf32("😁", 0), out string description));
        Assert.Equal("beaming face with smiling eyes", description);
    }

    [Fact]
    public void Custom_lexicons_can_be_parsed_from_text()
    {
        VaderLexicon lexicon = VaderLexicon.Parse("zork\t2.5\t0.5\t[2, 3]\nblah\t-1.0\t0\t[]\n", "☕\thot beverage\n");
        var analyzer = new VaderAnalyzer(lexicon);

        Assert.Equal(2, lexicon.Count);
        Assert.True(analyzer.PolarityScores("zork ☕").Compound > 0);
        Assert.True(analyzer.PolarityScores("so blah").Compound < 0);
    }
}
