using Scorer.Models.Fast;

namespace Scorer.UnitTests.Fast;

/// <summary>
/// One test per VADER heuristic. Expected values are those of vaderSentiment 3.3.2 for the same
/// input (the demo sentences of its <c>__main__</c> and small probes of each rule).
/// </summary>
public sealed class RuleTests
{
    private static readonly VaderAnalyzer Analyzer = new();

    private static VaderScores Score(string text) => Analyzer.PolarityScores(text);

    [Fact]
    public void Negation_flips_and_dampens_polarity()
    {
        VaderScores positive = Score("The book was good.");
        VaderScores negated = Score("The book was not good.");

        ScoreAssert.Compound(0.4404, positive);
        ScoreAssert.Equal(new VaderScores(0.376, 0.624, 0.0, -0.3412), negated);
        Assert.True(Math.Abs(negated.Compound) < positive.Compound); // N_SCALAR is -0.74, not -1
    }

    [Fact]
    public void Contracted_negations_negate_like_full_ones()
    {
        ScoreAssert.Compound(
            Score("The book was not good.").Compound,
            Score("The book wasn't good."));
        ScoreAssert.Compound(0.431, Score("Not bad at all"));
    }

    [Fact]
    public void No_before_a_lexicon_word_negates_it_instead_of_counting_itself()
    {
        ScoreAssert.Compound(-0.296, Score("no"));
        ScoreAssert.Equal(new VaderScores(0.376, 0.624, 0.0, -0.3412), Score("There is no good book."));
        ScoreAssert.Equal(new VaderScores(0.0, 0.307, 0.693, 0.3089), Score("No problem."));
    }

    [Fact]
    public void Booster_words_increase_and_dampeners_decrease_intensity()
    {
        ScoreAssert.Compound(0.4927, Score("The book was extremely good."));
        ScoreAssert.Compound(0.3832, Score("The book was slightly good."));
        ScoreAssert.Compound(0.3832, Score("The book was only kind of good."));
        ScoreAssert.Compound(0.5279, Score("I am kind of happy"));
        ScoreAssert.Compound(0.5279, Score("I am sort of happy"));
    }

    [Fact]
    public void Booster_effect_decays_with_distance()
    {
        // Distance 1: full B_INCR; distance 2: * 0.95; distance 3: * 0.9.
        double d1 = Score("it is very good").Compound;
        double d2 = Score("it very is good").Compound;
        double d3 = Score("very it is good").Compound;
        double none = Score("it is is good").Compound;

        Assert.True(d1 > d2 && d2 > d3 && d3 > none, $"{d1} > {d2} > {d3} > {none}");
    }

    [Fact]
    public void All_caps_emphasis_applies_only_in_mixed_case_text()
    {
        ScoreAssert.Compound(0.5622, Score("The book was GOOD."));
        ScoreAssert.Compound(0.4404, Score("THE BOOK WAS GOOD."));
        ScoreAssert.Compound(Score("good").Compound, Score("GOOD"));
    }

    [Fact]
    public void Exclamation_marks_amplify_up_to_four()
    {
        ScoreAssert.Compound(0.4926, Score("The book was good!"));
        ScoreAssert.Compound(0.6209, Score("The book was good!!!!"));
        ScoreAssert.Compound(0.6209, Score("The book was good!!!!!"));
    }

    [Fact]
    public void Question_marks_amplify_from_two_on_and_cap_at_four()
    {
        ScoreAssert.Compound(Score("Was the book good").Compound, Score("Was the book good?"));
        ScoreAssert.Compound(0.504, Score("Was the book good??"));
        ScoreAssert.Compound(0.594, Score("Was the book good????"));
        ScoreAssert.Compound(0.594, Score("Was the book good???????"));
    }

    [Fact]
    public void But_halves_sentiment_before_it_and_boosts_sentiment_after_it()
    {
        ScoreAssert.Equal(new VaderScores(0.347, 0.511, 0.142, -0.5859), Score("The book is good but the film is bad."));
        ScoreAssert.Equal(new VaderScores(0.127, 0.556, 0.317, 0.5249), Score("Today only kinda sux! But I'll get by, lol"));
    }

    [Theory]
    // vaderSentiment's _but_check finds each value with list.index(value), so an equal value earlier
    // in the list is the one that gets scaled; the port keeps that behaviour to match its scores.
    [InlineData("Defense Minister Dmitri Yazov's apology won't bring Arthur D. Nicholson Jr. back to life, but the gesture of civility matters.", 0.0, 0.833, 0.167, 0.1027)]
    [InlineData("Fantastic trio of lectures on knights this week. Was going to thank lecturer, but she ran off. Which was surprising since she's huge.", 0.0, 0.695, 0.305, 0.7469)]
    [InlineData("A reasonably efficient mechanism, but it offers few surprises and finds its stars slumming in territory they should have avoided.", 0.132, 0.725, 0.143, -0.1901)]
    public void But_rule_reproduces_the_reference_list_index_behaviour(string text, double neg, double neu, double pos, double compound)
    {
        ScoreAssert.Equal(new VaderScores(neg, neu, pos, compound), Score(text));
    }

    [Fact]
    public void Never_so_and_never_this_amplify_instead_of_negating()
    {
        ScoreAssert.Compound(-0.3412, Score("Sentiment analysis has never been good."));
        ScoreAssert.Compound(0.5672, Score("Sentiment analysis has never been this good!"));
    }

    [Fact]
    public void Without_a_doubt_is_not_a_negation()
    {
        ScoreAssert.Equal(new VaderScores(0.0, 0.341, 0.659, 0.7013), Score("Without a doubt, excellent idea."));
        ScoreAssert.Compound(0.7013, Score("Without a doubt, an excellent idea."));
    }

    [Fact]
    public void Least_negates_except_in_at_least_and_very_least()
    {
        ScoreAssert.Compound(-0.3412, Score("The book was least good."));
        ScoreAssert.Compound(0.4404, Score("The book was at least good."));
        ScoreAssert.Compound(-0.1695, Score("Roger Dodger is one of the least compelling variations on this theme."));
        ScoreAssert.Compound(0.2263, Score("Roger Dodger is at least compelling as a variation on the theme."));
        ScoreAssert.Compound(0.2944, Score("Roger Dodger is one of the most compelling variations on this theme."));
    }

    [Fact]
    public void Special_idioms_replace_the_valence_of_their_words()
    {
        ScoreAssert.Compound(-0.5574, Score("Most automated sentiment analysis tools are shit."));
        ScoreAssert.Compound(0.6476, Score("With VADER, sentiment analysis is the shit!"));
        ScoreAssert.Compound(0.6124, Score("The book was the bomb."));
        ScoreAssert.Compound(-0.5849, Score("Other sentiment analysis tools can be quite bad."));
        ScoreAssert.Compound(0.802, Score("On the other hand, VADER is quite bad ass"));
    }

    [Fact]
    public void Emoji_are_scored_through_their_lexicon_description()
    {
        ScoreAssert.Equal(Score("beaming face with smiling eyes"), Score("😁"));
        ScoreAssert.Compound(0.4588, Score("😁"));
        // An emoji glued to a word gets a space before its description, none after it.
        ScoreAssert.Equal(new VaderScores(0.0, 0.417, 0.583, 0.6369), Score("I💘it"));
        ScoreAssert.Equal(new VaderScores(0.0, 0.488, 0.512, 0.6369), Score("I 💘 it"));
    }

    [Fact]
    public void Emoticons_survive_punctuation_stripping()
    {
        ScoreAssert.Equal(new VaderScores(0.0, 0.169, 0.831, 0.8707), Score("I love this feeling. :D"));
        ScoreAssert.Equal(
            new VaderScores(0.0, 0.446, 0.554, 0.9446),
            Score("@anonymous :) ha ha, you are so funny.  today has been awesome.  tomorrow should be even better too."));
    }
}
