using System.Diagnostics;

namespace Benchmarks;

/// <summary>Throughput loops: warm up, then count work done by N concurrent loops for a fixed time.</summary>
public static class Measure
{
    public sealed record Result(long Texts, TimeSpan Elapsed, IReadOnlyList<double> LatenciesMs)
    {
        public double TextsPerSecond => Texts / Elapsed.TotalSeconds;

        /// <summary>Rounds of one measurement taken apart (interleaved with others) as one.</summary>
        public static Result Merge(IReadOnlyCollection<Result> rounds) => new(
            rounds.Sum(r => r.Texts),
            TimeSpan.FromTicks(rounds.Sum(r => r.Elapsed.Ticks)),
            rounds.SelectMany(r => r.LatenciesMs).ToArray());

        public double Percentile(double p)
        {
            if (LatenciesMs.Count == 0)
            {
                return double.NaN;
            }

            var sorted = LatenciesMs.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        }
    }

    /// <summary>
    /// Runs <paramref name="concurrency"/> loops of <paramref name="step"/> (which returns texts done) for
    /// <paramref name="duration"/> after <paramref name="warmup"/>.
    /// </summary>
    public static async Task<Result> ThroughputAsync(
        int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, long, Task<int>> step)
    {
        await WarmUpAsync(concurrency, warmup, step);
        var latencies = new List<double>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            latencies[i] = [];
        }

        var stopwatch = Stopwatch.StartNew();
        var texts = await RunLoopsAsync(concurrency, duration, step, latencies);
        stopwatch.Stop();
        return new Result(texts, stopwatch.Elapsed, latencies.SelectMany(l => l).ToArray());
    }

    /// <summary>Runs the loops for <paramref name="duration"/> and forgets what they did.</summary>
    public static Task WarmUpAsync(int concurrency, TimeSpan duration, Func<int, long, Task<int>> step) =>
        RunLoopsAsync(concurrency, duration, step, latencies: null);

    private static async Task<long> RunLoopsAsync(
        int concurrency, TimeSpan duration, Func<int, long, Task<int>> step, List<double>[]? latencies)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            long done = 0;
            for (long iteration = 0; Stopwatch.GetTimestamp() < deadline; iteration++)
            {
                var started = Stopwatch.GetTimestamp();
                done += await step(worker, iteration);
                latencies?[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return done;
        }));
        return (await Task.WhenAll(loops)).Sum();
    }
}
