using System.CommandLine;
using Scorer.Models;
using Scorer.Models.Fast;

namespace Benchmarks;

/// <summary>
/// <c>fast</c>: the VADER model in-process on real Reddit comments, on one core and on all cores.
/// </summary>
public static class FastModelBenchmark
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Seconds per measurement.", DefaultValueFactory = _ => 5 };
        return BenchmarkCommand.Create("fast", "The VADER model in-process on real Reddit comments, on one core and on all cores.", [seconds],
            (parsed, input) => RunAsync(parsed.GetValue(seconds), input));
    }

    public static async Task<int> RunAsync(double seconds, string? input)
    {
        var texts = Corpus.Load(input);
        var model = new VaderSentimentModel(new VaderAnalyzer(VaderLexicon.Embedded));
        var duration = TimeSpan.FromSeconds(seconds);
        const int BatchSize = 256;

        Task<int> ScoreBatch(long iteration)
        {
            var start = (int)(iteration * BatchSize % texts.Length);
            var batch = Enumerable.Range(start, BatchSize).Select(i => texts[i % texts.Length]).ToArray();
            var predictions = new SentimentPrediction[batch.Length];
            model.Score(batch, predictions);
            return Task.FromResult(batch.Length);
        }

        var oneCore = await Measure.ThroughputAsync(1, TimeSpan.FromSeconds(1), duration, (_, i) => ScoreBatch(i));
        var allCores = await Measure.ThroughputAsync(Environment.ProcessorCount, TimeSpan.FromSeconds(1), duration, (_, i) => ScoreBatch(i));

        Report.Print("fast model (VADER) in-process",
            [
                ("texts in corpus", Report.N(texts.Length)),
                ("average characters", Report.F(texts.Average(t => t.Length), 0)),
                ("texts/s on one core", Report.N(oneCore.TextsPerSecond)),
                ($"texts/s on {Environment.ProcessorCount} cores", Report.N(allCores.TextsPerSecond)),
            ],
            new
            {
                Model = "fast",
                Cores = Environment.ProcessorCount,
                FastTextsPerSPerCore = Report.Round(oneCore.TextsPerSecond),
                FastTextsPerSAllCores = Report.Round(allCores.TextsPerSecond),
            });
        return 0;
    }
}
