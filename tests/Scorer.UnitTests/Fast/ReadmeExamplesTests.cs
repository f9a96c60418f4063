using Scorer.Models.Fast;

namespace Scorer.UnitTests.Fast;

/// <summary>
/// The example sentences of the vaderSentiment README (release 3.3.2) with the scores it publishes
/// for them; the port must reproduce all four numbers.
/// </summary>
public sealed class ReadmeExamplesTests
{
    private static readonly VaderAnalyzer Analyzer = new();

    [Theory]
    [InlineData("VADER is smart, handsome, and funny.", 0.0, 0.254, 0.746, 0.8316)]
    [InlineData("VADER is smart, handsome, and funny!", 0.0, 0.248, 0.752, 0.8439)]
    [InlineData("VADER is very smart, handsome, and funny.", 0.0, 0.299, 0.701, 0.8545)]
    [InlineData("VADER is VERY SMART, handsome, and FUNNY.", 0.0, 0.246, 0.754, 0.9227)]
    [InlineData("VADER is VERY SMART, handsome, and FUNNY!!!", 0.0, 0.233, 0.767, 0.9342)]
    [InlineData("VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 0.0, 0.294, 0.706, 0.9469)]
    [InlineData("VADER is not smart, handsome, nor funny.", 0.646, 0.354, 0.0, -0.7424)]
    [InlineData("The book was good.", 0.0, 0.508, 0.492, 0.4404)]
    [InlineData("At least it isn't a horrible book.", 0.0, 0.678, 0.322, 0.431)]
    [InlineData("The book was only kind of good.", 0.0, 0.697, 0.303, 0.3832)]
    [InlineData("The plot was good, but the characters are uncompelling and the dialog is not great.", 0.327, 0.579, 0.094, -0.7042)]
    [InlineData("Today SUX!", 0.779, 0.221, 0.0, -0.5461)]
    [InlineData("Today only kinda sux! But I'll get by, lol", 0.127, 0.556, 0.317, 0.5249)]
    [InlineData("Make sure you :) or :D today!", 0.0, 0.294, 0.706, 0.8633)]
    [InlineData("Catch utf-8 emoji such as such as 💘 and 💋 and 😁", 0.0, 0.615, 0.385, 0.875)]
    [InlineData("Not bad at all", 0.0, 0.513, 0.487, 0.431)]
    [InlineData("Watch the rose wilt.", 0.0, 1.0, 0.0, 0.0)]
    public void Readme_example_scores_are_reproduced(string text, double neg, double neu, double pos, double compound)
    {
        VaderScores scores = Analyzer.PolarityScores(text);

        ScoreAssert.Equal(new VaderScores(neg, neu, pos, compound), scores);
    }

    [Fact]
    public void Demo_emoji_sentence_without_the_duplicated_words_scores_like_the_reference()
    {
        // The __main__ demo of vaderSentiment.py 3.3.2 spells this example without "such as such as".
        VaderScores scores = Analyzer.PolarityScores("Catch utf-8 emoji such as 💘 and 💋 and 😁");

        ScoreAssert.Equal(new VaderScores(0.0, 0.583, 0.417, 0.875), scores);
    }
}
