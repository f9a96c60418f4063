namespace Scorer.UnitTests.Accurate.Support;

internal static class Sentences
{
    /// <summary>Varied lengths (padding matters to mean pooling), casing, punctuation, symbols and emoji.</summary>
    public static readonly string[] Varied =
    [
        "I love this!",
        "This is the worst service I have ever had, and I will never come back.",
        "ok",
        "The package arrived on Tuesday.",
        "Honestly? Not bad at all :)",
        "I can't believe they cancelled the show, I'm so upset 😡",
        "What a beautiful morning — the sun is out and the coffee is great.",
        "Meh.",
        "It costs $40 which is way too much for what you get.",
        "The movie was fine, nothing special, but the actors were good.",
        "THANK YOU SO MUCH!!!",
        "I'm not sure how I feel about this update.",
        "Terrible. Just terrible.",
        "My cat knocked my glass off the table again lol",
        "We won the championship!!! 🎉🎉",
        "Please stop sending me these emails.",
        "The report is due on Friday at 5 pm.",
        "I guess it could have been worse",
        "Best. Day. Ever.",
        "He said he'd call back but he never did.\nStill waiting.",
    ];
}
