using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scorer.Models;
using Scorer.Models.Accurate;

namespace Benchmarks;

/// <summary>
/// <c>batch-cost</c>: what one batch of the accurate model costs on this machine, to set the Scorer's
/// <c>Scorer:Batching:accurate:BatchOverheadTokens</c>. Times runs of n texts of exactly L tokens over a grid
/// and fits time = overhead + per-token x (n x L) by least squares; the overhead over the per-token cost is
/// the setting. Options: --device auto|cpu|cuda (default auto), --spinning true|false (default false, as the
/// service runs), --repeats (runs per cell, default 15), --input.
/// </summary>
public static class BatchCostBenchmark
{
    private static readonly int[] Sizes = [1, 2, 4, 8, 16, 32];
    private static readonly int[] Lengths = [8, 16, 32, 64];

    public static Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var options = new AccurateModelOptions
        {
            Device = Enum.Parse<AccurateDevice>(arguments.Text("device", "auto"), ignoreCase: true),
            AllowSpinning = bool.Parse(arguments.Text("spinning", "false")),
        };
        options.IntraOpThreads = arguments.Int("threads", options.ThreadsPerSession);
        options.Precision = Enum.Parse<AccuratePrecision>(arguments.Text("precision", "auto"), ignoreCase: true);
        var repeats = arguments.Int("repeats", 15);
        using var model = new OnnxSentimentModel(Options.Create(options), NullLoggerFactory.Instance);
        var words = Corpus.Load(arguments).SelectMany(text => text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();

        var cells = new List<(int Size, int Length, double Ms)>();
        foreach (var length in Lengths)
        {
            var texts = TextsOfLength(model, words, length, Sizes[^1]);
            foreach (var size in Sizes)
            {
                cells.Add((size, length, MedianMs(model, texts.AsSpan(0, size), repeats)));
            }
        }

        var (overheadMs, perTokenMs) = FitLine(cells.Select(c => ((double)c.Size * c.Length, c.Ms)).ToArray());
        var overheadTokens = perTokenMs > 0 ? overheadMs / perTokenMs : 0;
        Report.Print($"accurate model, cost of one batch on {model.Device} ({options.ThreadsPerSession} intra-op threads, spinning {options.AllowSpinning})",
            [
                .. cells.Select(c => ($"{c.Size} texts x {c.Length} tokens: ms per batch", Report.F(c.Ms, 3))),
                ("fit: fixed ms per batch", Report.F(overheadMs, 3)),
                ("fit: ms per 1,000 padded tokens", Report.F(perTokenMs * 1000, 3)),
                ("BatchOverheadTokens (fixed / per token)", Report.N(overheadTokens)),
            ],
            new
            {
                Device = model.Device,
                Spinning = options.AllowSpinning,
                OverheadMs = Math.Round(overheadMs, 4),
                PerThousandTokensMs = Math.Round(perTokenMs * 1000, 4),
                BatchOverheadTokens = Math.Round(overheadTokens),
            });
        return Task.FromResult(0);
    }

    /// <summary>Texts of exactly <paramref name="tokens"/> tokens ([CLS] and [SEP] included), from corpus words.</summary>
    private static string[] TextsOfLength(OnnxSentimentModel model, string[] words, int tokens, int count)
    {
        var texts = new string[count];
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            var text = "";
            while (true)
            {
                var longer = text.Length == 0 ? words[next % words.Length] : $"{text} {words[next % words.Length]}";
                next++;
                var cost = model.Cost(longer);
                if (cost == tokens)
                {
                    texts[i] = longer;
                    break;
                }

                // A word of several pieces may overshoot: drop it and try the next one.
                if (cost < tokens)
                {
                    text = longer;
                }
            }
        }

        return texts;
    }

    private static double MedianMs(ISentimentModel model, ReadOnlySpan<string> texts, int repeats)
    {
        var predictions = new SentimentPrediction[texts.Length];
        model.Score(texts, predictions); // warm this shape
        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var started = Stopwatch.GetTimestamp();
            model.Score(texts, predictions);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[repeats / 2];
    }

    /// <summary>Least squares y = a + b x.</summary>
    private static (double A, double B) FitLine((double X, double Y)[] points)
    {
        var (meanX, meanY) = (points.Average(p => p.X), points.Average(p => p.Y));
        var covariance = points.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var variance = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        var b = covariance / variance;
        return (meanY - b * meanX, b);
    }
}
