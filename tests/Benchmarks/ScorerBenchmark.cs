using System.CommandLine;
using System.Diagnostics;
using Grpc.Net.Client;
using RedditSentiment.Protos.Sentiment.V1;
using Scorer.Models;
using Scorer.Models.Fast;

namespace Benchmarks;

/// <summary>
/// <c>scorer</c>: the Scorer service over gRPC on loopback against the same model run in-process (raw ONNX Runtime for accurate).
/// (a) the model in-process with the best batching it can do, (b) many concurrent single-text callers,
/// (c) a few batch callers. The three are measured in interleaved rounds, so that a machine that slows down
/// or speeds up part-way (other work on the same cores) shifts all three alike and the ratios hold.
/// The cores of the machines here drift by up to ±10% from round to round under sustained load (the per-round
/// figures are printed), hence six rounds by default.
/// </summary>
public static class ScorerBenchmark
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "accurate or fast.", DefaultValueFactory = _ => ModelNames.Accurate };
        model.AcceptOnlyFromAmong(ModelNames.Accurate, ModelNames.Fast);
        var seconds = new Option<double>("--seconds") { Description = "Seconds of each measurement, over all its rounds.", DefaultValueFactory = _ => 24 };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds.", DefaultValueFactory = _ => 6 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of service load before the rounds.", DefaultValueFactory = _ => 10 };
        var singleCallers = new Option<int>("--single-callers") { Description = "Concurrent callers of one text each.", DefaultValueFactory = _ => 64 };
        var batchCallers = new Option<int>("--batch-callers") { Description = "Concurrent batch callers.", DefaultValueFactory = _ => 4 };
        var batchSize = new Option<int>("--batch-size") { Description = "Texts per call of a batch caller.", DefaultValueFactory = _ => 64 };
        return BenchmarkCommand.Create("scorer",
            "The Scorer process over gRPC on loopback against the same model in-process: in-process, single-text callers and batch callers in interleaved rounds.",
            [model, seconds, rounds, warmup, singleCallers, batchCallers, batchSize],
            (parsed, input) => RunAsync(
                parsed.GetRequiredValue(model), parsed.GetValue(seconds), parsed.GetValue(rounds), parsed.GetValue(warmup),
                parsed.GetValue(singleCallers), parsed.GetValue(batchCallers), parsed.GetValue(batchSize), input));
    }

    /// <param name="seconds">Of each measurement, shared out among the rounds.</param>
    /// <param name="warmupSeconds">Of service load before the rounds.</param>
    public static async Task<int> RunAsync(
        string modelName, double seconds, int rounds, double warmupSeconds, int singleCallers, int batchCallers, int batchSize, string? input)
    {
        var texts = Corpus.Load(input);
        var duration = TimeSpan.FromSeconds(seconds / rounds);
        var warmup = TimeSpan.FromSeconds(1);

        using var inProcess = modelName == ModelNames.Fast ? InProcessFast(texts) : InProcessAccurate(texts);
        await using var scorer = await ScorerProcess.StartAsync(new Dictionary<string, string>());
        using var channel = GrpcChannel.ForAddress(scorer.GrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        var client = new RedditSentiment.Protos.Sentiment.V1.Scorer.ScorerClient(channel);

        async Task<int> SingleAsync(int worker, long i)
        {
            var response = await client.ScoreAsync(Request(modelName, texts, (int)((worker * 7919 + i) % texts.Length), 1));
            return response.Results.Count;
        }

        async Task<int> BatchAsync(int worker, long i)
        {
            var response = await client.ScoreAsync(Request(modelName, texts, (int)((worker * 104729 + i * batchSize) % texts.Length), batchSize));
            return response.Results.Count;
        }

        // The steady state: on two saturated cores the tiered JIT of the Scorer's and the callers' gRPC paths goes
        // on for many seconds, and measured with it (b) pays for compilation (seen here: the callers' CPU per call
        // halved once it was done).
        var settle = TimeSpan.FromSeconds(warmupSeconds / 2);
        await Measure.WarmUpAsync(singleCallers, settle, SingleAsync);
        await Measure.WarmUpAsync(batchCallers, settle, BatchAsync);

        var raw = new Phase();
        var single = new Phase();
        var batch = new Phase();
        for (var round = 0; round < rounds; round++)
        {
            await raw.MeasureAsync(scorer, () => Measure.ThroughputAsync(inProcess.Concurrency, warmup, duration, inProcess.Step));
            await single.MeasureAsync(scorer, () => Measure.ThroughputAsync(singleCallers, warmup, duration, SingleAsync));
            await batch.MeasureAsync(scorer, () => Measure.ThroughputAsync(batchCallers, warmup, duration, BatchAsync));
        }

        var fastPerCore = await Measure.ThroughputAsync(1, warmup, TimeSpan.FromSeconds(Math.Min(10, duration.TotalSeconds * rounds)), InProcessFast(texts).Step);
        var (rawResult, singleResult, batchResult) = (raw.Result, single.Result, batch.Result);
        var ratioSingle = singleResult.TextsPerSecond / rawResult.TextsPerSecond;
        var ratioBatch = batchResult.TextsPerSecond / rawResult.TextsPerSecond;
        Report.Print($"Scorer over gRPC vs in-process, model {modelName}, {Environment.ProcessorCount} cores, {rounds} interleaved rounds",
            [
                (inProcess.Description, Report.N(rawResult.TextsPerSecond)),
                ("(a) CPU ms per text (this process)", Report.F(raw.CpuMsPerText, 3)),
                ($"(b) service, {singleCallers} single-text callers: texts/s", Report.N(singleResult.TextsPerSecond)),
                ("(b) call latency p50 / p99 ms", $"{Report.F(singleResult.Percentile(50))} / {Report.F(singleResult.Percentile(99))}"),
                ("(b) CPU ms per text: Scorer / callers", $"{Report.F(single.ScorerCpuMsPerText, 3)} / {Report.F(single.CpuMsPerText, 3)}"),
                ($"(c) service, {batchCallers} callers x {batchSize} texts: texts/s", Report.N(batchResult.TextsPerSecond)),
                ("(c) call latency p50 / p99 ms", $"{Report.F(batchResult.Percentile(50))} / {Report.F(batchResult.Percentile(99))}"),
                ("(c) CPU ms per text: Scorer / callers", $"{Report.F(batch.ScorerCpuMsPerText, 3)} / {Report.F(batch.CpuMsPerText, 3)}"),
                ("(a) texts/s per round", raw.PerRound),
                ("(b) texts/s per round", single.PerRound),
                ("(c) texts/s per round", batch.PerRound),
                ("ratio single / in-process", Report.F(ratioSingle, 3)),
                ("ratio batch / in-process", Report.F(ratioBatch, 3)),
                ("(d) fast model in-process, one core: texts/s", Report.N(fastPerCore.TextsPerSecond)),
            ],
            new
            {
                Model = modelName,
                RawOrtTextsPerS = Report.Round(rawResult.TextsPerSecond),
                ServiceSingleTextsPerS = Report.Round(singleResult.TextsPerSecond),
                ServiceBatchTextsPerS = Report.Round(batchResult.TextsPerSecond),
                RatioSingle = Math.Round(ratioSingle, 3),
                RatioBatch = Math.Round(ratioBatch, 3),
                FastTextsPerSPerCore = Report.Round(fastPerCore.TextsPerSecond),
            });
        return 0;
    }

    /// <summary>The rounds of one measurement, with the CPU time this process and the Scorer spent on them.</summary>
    private sealed class Phase
    {
        private readonly List<Measure.Result> _rounds = [];
        private TimeSpan _ownCpu;
        private TimeSpan _scorerCpu;

        public Measure.Result Result => Measure.Result.Merge(_rounds);

        /// <summary>Texts/s of each round: drift of the shared cores shows here.</summary>
        public string PerRound => string.Join(" / ", _rounds.Select(r => Report.N(r.TextsPerSecond)));

        public double CpuMsPerText => _ownCpu.TotalMilliseconds / Result.Texts;

        public double ScorerCpuMsPerText => _scorerCpu.TotalMilliseconds / Result.Texts;

        public async Task MeasureAsync(ScorerProcess scorer, Func<Task<Measure.Result>> measure)
        {
            var (own, service) = (Process.GetCurrentProcess().TotalProcessorTime, scorer.TotalProcessorTime);
            _rounds.Add(await measure());
            // Includes the warm-up's CPU; per text of the measured part it is a slight overestimate, alike for all phases.
            _ownCpu += Process.GetCurrentProcess().TotalProcessorTime - own;
            _scorerCpu += scorer.TotalProcessorTime - service;
        }
    }

    /// <summary>The model driven in-process, the reference the service is measured against.</summary>
    private sealed record InProcess(string Description, int Concurrency, Func<int, long, Task<int>> Step, IDisposable? Owned) : IDisposable
    {
        public void Dispose() => Owned?.Dispose();
    }

    private static InProcess InProcessFast(string[] texts)
    {
        const int BatchSize = 256;
        var model = new VaderSentimentModel(new VaderAnalyzer(VaderLexicon.Embedded));
        return new InProcess($"(a) in-process, batches of {BatchSize}, all cores: texts/s", Environment.ProcessorCount, (worker, i) =>
        {
            var start = (int)((worker * 104729 + i * BatchSize) % texts.Length);
            var batch = Enumerable.Range(start, BatchSize).Select(j => texts[j % texts.Length]).ToArray();
            model.Score(batch, new SentimentPrediction[batch.Length]);
            return Task.FromResult(batch.Length);
        }, null);
    }

    /// <summary>
    /// (a) for the accurate model: the same composed graph, options, sessions and threads as the service, driven
    /// directly with the best batching available offline: the whole corpus sorted by length and cut into batches
    /// of 32, one loop per session. The batches are taken in a shuffled order, so that any stretch of the run
    /// (a round) sees short and long texts alike rather than the shortest first.
    /// </summary>
    private static InProcess InProcessAccurate(string[] texts)
    {
        const int BatchSize = 32; // measured here: sorted batches of 8 and 16 were slower (494 and 511 texts/s against 516-533)
        var model = new Scorer.Models.Accurate.OnnxSentimentModel(
            Microsoft.Extensions.Options.Options.Create(new Scorer.Models.Accurate.AccurateModelOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var sorted = texts.OrderBy(model.Cost).ToArray();
        var batches = Enumerable.Range(0, sorted.Length / BatchSize).ToArray();
        new Random(42).Shuffle(batches);
        var next = -1L;
        return new InProcess($"(a) raw ONNX Runtime, length-sorted batches of {BatchSize}, {model.ParallelBatches} sessions: texts/s", model.ParallelBatches, (_, _) =>
        {
            var start = batches[Interlocked.Increment(ref next) % batches.Length] * BatchSize;
            model.Score(sorted.AsSpan(start, BatchSize), new SentimentPrediction[BatchSize]);
            return Task.FromResult(BatchSize);
        }, model);
    }

    private static ScoreRequest Request(string model, string[] texts, int start, int count)
    {
        var request = new ScoreRequest { Model = model };
        for (var i = 0; i < count; i++)
        {
            request.Items.Add(new TextItem { Id = (start + i).ToString(System.Globalization.CultureInfo.InvariantCulture), Text = texts[(start + i) % texts.Length] });
        }

        return request;
    }
}
