using Grpc.Net.Client;
using RedditSentiment.Protos.Sentiment.V1;
using Scorer.Models;
using Scorer.Models.Fast;

namespace Benchmarks;

/// <summary>
/// <c>scorer</c>: the Scorer service over gRPC on loopback against the same model run in-process.
/// (a) the model in-process with the best batching it can do, (b) many concurrent single-text callers,
/// (c) a few batch callers. Options: --model fast (default), --seconds (default 10), --single-callers (64),
/// --batch-callers (4), --batch-size (64), --input.
/// </summary>
public static class ScorerBenchmark
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var modelName = arguments.Text("model", ModelNames.Fast);
        if (modelName != ModelNames.Fast)
        {
            Console.Error.WriteLine($"model '{modelName}' is not served yet; only '{ModelNames.Fast}' is");
            return 2;
        }

        var texts = Corpus.Load(arguments);
        var duration = TimeSpan.FromSeconds(arguments.Seconds("seconds", 10));
        var warmup = TimeSpan.FromSeconds(2);
        var singleCallers = arguments.Int("single-callers", 64);
        var batchCallers = arguments.Int("batch-callers", 4);
        var batchSize = arguments.Int("batch-size", 64);

        var raw = await MeasureInProcessAsync(texts, batchSize: 256, warmup, duration);

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

        var ratioSingle = single.TextsPerSecond / raw.TextsPerSecond;
        var ratioBatch = batch.TextsPerSecond / raw.TextsPerSecond;
        Report.Print($"Scorer over gRPC vs in-process, model {modelName}, {Environment.ProcessorCount} cores",
            [
                ("(a) in-process, batches of 256, all cores: texts/s", Report.N(raw.TextsPerSecond)),
                ($"(b) service, {singleCallers} single-text callers: texts/s", Report.N(single.TextsPerSecond)),
                ("(b) call latency p50 / p99 ms", $"{Report.F(single.Percentile(50))} / {Report.F(single.Percentile(99))}"),
                ($"(c) service, {batchCallers} callers x {batchSize} texts: texts/s", Report.N(batch.TextsPerSecond)),
                ("(c) call latency p50 / p99 ms", $"{Report.F(batch.Percentile(50))} / {Report.F(batch.Percentile(99))}"),
                ("ratio single / in-process", Report.F(ratioSingle, 3)),
                ("ratio batch / in-process", Report.F(ratioBatch, 3)),
            ],
            new
            {
                Model = modelName,
                RawTextsPerS = Report.Round(raw.TextsPerSecond),
                ServiceSingleTextsPerS = Report.Round(single.TextsPerSecond),
                ServiceBatchTextsPerS = Report.Round(batch.TextsPerSecond),
                RatioSingle = Math.Round(ratioSingle, 3),
                RatioBatch = Math.Round(ratioBatch, 3),
            });
        return 0;
    }

    private static async Task<Measure.Result> MeasureInProcessAsync(string[] texts, int batchSize, TimeSpan warmup, TimeSpan duration)
    {
        var model = new VaderSentimentModel(new VaderAnalyzer(VaderLexicon.Embedded));
        return await Measure.ThroughputAsync(Environment.ProcessorCount, warmup, duration, (worker, i) =>
        {
            var start = (int)((worker * 104729 + i * batchSize) % texts.Length);
            var batch = Enumerable.Range(start, batchSize).Select(j => texts[j % texts.Length]).ToArray();
            model.Score(batch, new SentimentPrediction[batch.Length]);
            return Task.FromResult(batch.Length);
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
