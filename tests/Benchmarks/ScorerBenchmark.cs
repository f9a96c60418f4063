using Grpc.Net.Client;
using RedditSentiment.Protos.Sentiment.V1;
using Scorer.Models;
using Scorer.Models.Fast;

namespace Benchmarks;

/// <summary>
/// <c>scorer</c>: the Scorer service over gRPC on loopback against the same model run in-process (raw ONNX Runtime for accurate).
/// (a) the model in-process with the best batching it can do, (b) many concurrent single-text callers,
/// (c) a few batch callers. Options: --model accurate (default) or fast, --seconds (default 10), --single-callers (64),
/// --batch-callers (4), --batch-size (64), --input.
/// </summary>
public static class ScorerBenchmark
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var modelName = arguments.Text("model", ModelNames.Accurate);
        if (modelName is not (ModelNames.Fast or ModelNames.Accurate))
        {
            Console.Error.WriteLine($"--model must be {ModelNames.Accurate} or {ModelNames.Fast}");
            return 2;
        }

        var texts = Corpus.Load(arguments);
        var duration = TimeSpan.FromSeconds(arguments.Seconds("seconds", 10));
        var warmup = TimeSpan.FromSeconds(2);
        var singleCallers = arguments.Int("single-callers", 64);
        var batchCallers = arguments.Int("batch-callers", 4);
        var batchSize = arguments.Int("batch-size", 64);

        var raw = modelName == ModelNames.Fast
            ? await MeasureInProcessAsync(texts, batchSize: 256, warmup, duration)
            : await MeasureRawOnnxAsync(texts, warmup, duration);

        await using var scorer = await ScorerProcess.StartAsync(new Dictionary<string, string>());
        using var channel = GrpcChannel.ForAddress(scorer.GrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        var client = new RedditSentiment.Protos.Sentiment.V1.Scorer.ScorerClient(channel);

        var single = await Measure.ThroughputAsync(singleCallers, warmup, duration, async (worker, i) =>
        {
            var response = await client.ScoreAsync(Request(modelName, texts, (int)((worker * 7919 + i) % texts.Length), 1));
            return response.Results.Count;
        });

        var batch = await Measure.ThroughputAsync(batchCallers, warmup, duration, async (worker, i) =>
        {
            var response = await client.ScoreAsync(Request(modelName, texts, (int)((worker * 104729 + i * batchSize) % texts.Length), batchSize));
            return response.Results.Count;
        });

        var fastPerCore = await MeasureInProcessAsync(texts, batchSize: 256, warmup, duration, cores: 1);
        var ratioSingle = single.TextsPerSecond / raw.TextsPerSecond;
        var ratioBatch = batch.TextsPerSecond / raw.TextsPerSecond;
        Report.Print($"Scorer over gRPC vs in-process, model {modelName}, {Environment.ProcessorCount} cores",
            [
                (modelName == ModelNames.Fast ? "(a) in-process, batches of 256, all cores: texts/s" : "(a) raw ONNX Runtime, length-sorted batches of 32: texts/s", Report.N(raw.TextsPerSecond)),
                ($"(b) service, {singleCallers} single-text callers: texts/s", Report.N(single.TextsPerSecond)),
                ("(b) call latency p50 / p99 ms", $"{Report.F(single.Percentile(50))} / {Report.F(single.Percentile(99))}"),
                ($"(c) service, {batchCallers} callers x {batchSize} texts: texts/s", Report.N(batch.TextsPerSecond)),
                ("(c) call latency p50 / p99 ms", $"{Report.F(batch.Percentile(50))} / {Report.F(batch.Percentile(99))}"),
                ("ratio single / in-process", Report.F(ratioSingle, 3)),
                ("ratio batch / in-process", Report.F(ratioBatch, 3)),
                ("(d) fast model in-process, one core: texts/s", Report.N(fastPerCore.TextsPerSecond)),
            ],
            new
            {
                Model = modelName,
                RawOrtTextsPerS = Report.Round(raw.TextsPerSecond),
                ServiceSingleTextsPerS = Report.Round(single.TextsPerSecond),
                ServiceBatchTextsPerS = Report.Round(batch.TextsPerSecond),
                RatioSingle = Math.Round(ratioSingle, 3),
                RatioBatch = Math.Round(ratioBatch, 3),
                FastTextsPerSPerCore = Report.Round(fastPerCore.TextsPerSecond),
            });
        return 0;
    }

    private static async Task<Measure.Result> MeasureInProcessAsync(string[] texts, int batchSize, TimeSpan warmup, TimeSpan duration, int? cores = null)
    {
        var model = new VaderSentimentModel(new VaderAnalyzer(VaderLexicon.Embedded));
        return await Measure.ThroughputAsync(cores ?? Environment.ProcessorCount, warmup, duration, (worker, i) =>
        {
            var start = (int)((worker * 104729 + i * batchSize) % texts.Length);
            var batch = Enumerable.Range(start, batchSize).Select(j => texts[j % texts.Length]).ToArray();
            model.Score(batch, new SentimentPrediction[batch.Length]);
            return Task.FromResult(batch.Length);
        });
    }

    /// <summary>
    /// (a) for the accurate model: the same composed graph, options and thread count as the service, driven
    /// directly with the best batching available offline (the whole corpus sorted by length, batches of 32).
    /// </summary>
    private static async Task<Measure.Result> MeasureRawOnnxAsync(string[] texts, TimeSpan warmup, TimeSpan duration)
    {
        using var model = new Scorer.Models.Accurate.OnnxSentimentModel(
            Microsoft.Extensions.Options.Options.Create(new Scorer.Models.Accurate.AccurateModelOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var sorted = texts.OrderBy(model.Cost).ToArray();
        const int BatchSize = 32;
        return await Measure.ThroughputAsync(1, warmup, duration, (_, i) =>
        {
            var start = (int)(i * BatchSize % (sorted.Length - BatchSize));
            model.Score(sorted.AsSpan(start, BatchSize), new SentimentPrediction[BatchSize]);
            return Task.FromResult(BatchSize);
        });
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
