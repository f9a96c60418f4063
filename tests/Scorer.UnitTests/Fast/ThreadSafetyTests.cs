using Scorer.Models.Fast;

namespace Scorer.UnitTests.Fast;

public sealed class ThreadSafetyTests
{
    private static readonly string[] Fragments =
    [
        "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", "not bad at all", "kind of good but really awful",
        "😁💘 lol", "At least it isn't a horrible book.", "Never so good??", "the shit", "no", "no problem :)",
        "   ", "Without a doubt, excellent idea.", "I HATE mondays but love fridays!!!!!", "meh.",
    ];

    [Fact]
    public void Parallel_scoring_with_a_shared_analyzer_gives_the_sequential_results()
    {
        var analyzer = new VaderAnalyzer();
        var random = new Random(1234);
        string[] texts = Enumerable.Range(0, 4_000)
            .Select(_ => string.Join(' ', Enumerable.Range(0, 1 + random.Next(30)).Select(_ => Fragments[random.Next(Fragments.Length)])))
            .ToArray();
        VaderScores[] expected = texts.Select(analyzer.PolarityScores).ToArray();

        var actual = new VaderScores[texts.Length];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            actual[i] = analyzer.PolarityScores(texts[i]);
        });

        Assert.Equal(expected, actual);
    }
}
