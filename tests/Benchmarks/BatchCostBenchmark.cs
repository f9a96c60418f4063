using System.CommandLine;
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
/// the setting.
/// </summary>
public static class BatchCostBenchmark
{
    private static readonly int[] Sizes = [1, 2, 4, 8, 16, 32];
    private static readonly int[] Lengths = [8, 16, 32, 64];

    public static Command Create()
    {
        var device = new Option<AccurateDevice>("--device") { Description = "auto (CUDA where it loads), cpu or cuda.", DefaultValueFactory = _ => AccurateDevice.Auto };
        var spinning = new Option<bool>("--spinning") { Description = "Let ONNX Runtime's threads spin between runs (--spinning or --spinning true); the service runs without.", DefaultValueFactory = _ => false };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: the cores shared out among the sessions, as the service does)." };
        var precision = new Option<AccuratePrecision>("--precision") { Description = "auto (int8 on CPU, fp32 on CUDA), fp32 or int8.", DefaultValueFactory = _ => AccuratePrecision.Auto };
        var repeats = new Option<int>("--repeats") { Description = "Runs per cell of the grid.", DefaultValueFactory = _ => 15 };
        return BenchmarkCommand.Create("batch-cost",
            "The accurate model's time per batch over sizes 1-32 and lengths 8-64 tokens, fitted to a fixed and a per-token cost: Scorer:Batching:accurate:BatchOverheadTokens.",
            [device, spinning, threads, precision, repeats],
            (parsed, input) => RunAsync(
                parsed.GetValue(device), parsed.GetValue(spinning), parsed.GetValue(threads), parsed.GetValue(precision), parsed.GetValue(repeats), input));
    }

    public static Task<int> RunAsync(AccurateDevice device, bool spinning, int? threads, AccuratePrecision precision, int repeats, string? input)
    {
        var options = new AccurateModelOptions
        {
            Device = device,
            AllowSpinning = spinning,
        };
        options.IntraOpThreads = threads ?? options.ThreadsPerSession;
        options.Precision = precision;
        using var model = new OnnxSentimentModel(Options.Create(options), NullLoggerFactory.Instance);
        var words = Corpus.Load(input).SelectMany(text => text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();

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
