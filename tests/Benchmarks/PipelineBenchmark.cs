using Microsoft.Extensions.Logging;
using System.CommandLine;
using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Collector.Extensions;
using Collector.Ingestion;
using Collector.Queues;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RedditSentiment.Protos.Sentiment.V1;
using StackExchange.Redis;

namespace Benchmarks;

/// <summary>
/// <c>pipeline</c>: a generated dump replayed through the whole path — file → validation → Redis → workers →
/// Scorer → PostgreSQL — on the running app.
/// </summary>
public static class PipelineBenchmark
{
    public static Command Create()
    {
        var items = new Option<int>("--items") { Description = "Items in the generated dump.", DefaultValueFactory = _ => 100_000 };
        var model = new Option<string>("--model") { Description = "The workers' model: fast or accurate.", DefaultValueFactory = _ => "fast" };
        var workers = new Option<int>("--workers") { Description = "The Collector's workers.", DefaultValueFactory = _ => 4 };
        var batchSize = new Option<int>("--batch-size") { Description = "Items per batch the workers score.", DefaultValueFactory = _ => 256 };
        var warmupItems = new Option<int?>("--warmup-items") { Description = "Items processed before the measurement (default: 20% of --items, at most 20,000)." };
        return BenchmarkCommand.Create("pipeline",
            "The whole app: a generated dump through file, validation, Redis, workers, Scorer and PostgreSQL, and the Scorer alone with the same batches.",
            [items, model, workers, batchSize, warmupItems],
            (parsed, input) => RunAsync(
                parsed.GetValue(items), parsed.GetRequiredValue(model), parsed.GetValue(workers), parsed.GetValue(batchSize), parsed.GetValue(warmupItems), input));
    }

    /// <param name="warmup">Items processed before the measurement; null: 20% of <paramref name="items"/>, at most 20,000.</param>
    public static async Task<int> RunAsync(int items, string model, int workers, int batchSize, int? warmup, string? input)
    {
        var texts = Corpus.Load(input);

        var warmupItems = warmup ?? Math.Min(20_000, items / 5);
        var dump = Path.Combine(Path.GetTempPath(), $"bench-dump-{Guid.NewGuid():N}.ndjson");
        await WriteDumpAsync(dump, items, texts, idPrefix: "b");

        await using var harness = await AppHarness.StartAsync(
            $"collector:MODEL_TYPE={model}", $"collector:BATCH_SIZE={batchSize}", $"collector:Collector__Workers__Count={workers}");
        var redisConnection = (await harness.App.GetConnectionStringAsync(ResourceNames.Redis))!;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisConnection);
        var db = redis.GetDatabase();

        // A warm-up dump of other ids first, drained before the clock starts: the figures are for services
        // whose JIT has reached its optimised code, not for their first seconds on two busy cores.
        if (warmupItems > 0)
        {
            var warmupDump = Path.Combine(Path.GetTempPath(), $"bench-warmup-{Guid.NewGuid():N}.ndjson");
            await WriteDumpAsync(warmupDump, warmupItems, texts, idPrefix: "w");
            await AppHarness.ProcessAsync(db, warmupItems, () => IngestAsync(redisConnection, warmupDump));
            File.Delete(warmupDump);
        }

        var processedBefore = (long)await db.StringGetAsync(RedisKeys.ProcessedCount);

        // Stage 1 (file → validation → Redis) runs in this process, as the `ingest` command does; the
        // workers drain the queues meanwhile.
        var total = Stopwatch.StartNew();
        var ingestion = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            var summary = await IngestAsync(redisConnection, dump);
            return (summary, watch.Elapsed);
        });

        while ((long)await db.StringGetAsync(RedisKeys.ProcessedCount) - processedBefore < items)
        {
            if (ingestion.IsFaulted)
            {
                await ingestion;
            }

            await Task.Delay(100);
        }

        var endToEnd = total.Elapsed;
        var (ingested, ingestTime) = await ingestion;
        File.Delete(dump);

        // The Scorer alone, fed the same way the workers feed it (batches of BATCH_SIZE, as many callers as workers).
        var scorerDirect = await MeasureScorerAsync(harness, model, texts, batchSize, workers);

        var itemsPerSecond = items / endToEnd.TotalSeconds;
        Report.Print($"pipeline, model {model}, {items:N0} items, {workers} workers x batches of {batchSize}, {Environment.ProcessorCount} cores",
            [
                ("records read / queued / parked", $"{ingested.Records:N0} / {ingested.Queued:N0} / {ingested.Invalid:N0}"),
                ("end to end: items/s", Report.N(itemsPerSecond)),
                ("stage file → validation → Redis: items/s", Report.N(items / ingestTime.TotalSeconds)),
                ("stage workers (Redis → Scorer → PostgreSQL), overall: items/s", Report.N(itemsPerSecond)),
                ("Scorer alone, same batches: items/s", Report.N(scorerDirect)),
                ("end to end / Scorer alone", Report.F(itemsPerSecond / scorerDirect, 3)),
            ],
            new
            {
                Model = model,
                Items = items,
                ItemsPerS = Report.Round(itemsPerSecond),
                Stages = new
                {
                    IngestItemsPerS = Report.Round(items / ingestTime.TotalSeconds),
                    WorkersItemsPerS = Report.Round(itemsPerSecond),
                    ScorerDirectItemsPerS = Report.Round(scorerDirect),
                    RatioToScorer = Math.Round(itemsPerSecond / scorerDirect, 3),
                },
            });
        return 0;
    }

    private static async Task WriteDumpAsync(string path, int items, string[] texts, string idPrefix)
    {
        var created = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds();
        await using var writer = new StreamWriter(path);
        for (var i = 0; i < items; i++)
        {
            var body = System.Text.Json.JsonSerializer.Serialize(texts[i % texts.Length]);
            await writer.WriteLineAsync(
                $$"""{"id":"{{idPrefix}}{{i:x}}","link_id":"t3_bp{{i % 500:x}}","parent_id":"t3_bp{{i % 500:x}}","subreddit":"bench{{i % 20}}","author":"u{{i % 997}}","body":{{body}},"created_utc":{{created + i % 86_000}},"score":{{i % 50}}}""");
        }
    }

    private static async Task<IngestionSummary> IngestAsync(string redisConnection, string path)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection([
            new($"ConnectionStrings:{ResourceNames.Redis}", redisConnection),
            new($"ConnectionStrings:{ResourceNames.Database}", "Host=unused"),
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning); // the table is the output, not the ingestion's progress lines
        builder.AddApplicationServices();
        await using var app = builder.Build();
        var summary = await app.Services.GetRequiredService<DumpIngestion>().IngestAsync(path, CancellationToken.None);
        return new IngestionSummary(summary.Records, summary.Queued, summary.Invalid);
    }

    private sealed record IngestionSummary(long Records, long Queued, long Invalid);

    private static async Task<double> MeasureScorerAsync(AppHarness harness, string model, string[] texts, int batchSize, int callers)
    {
        using var channel = GrpcChannel.ForAddress(harness.App.GetEndpoint(ResourceNames.Scorer, "grpc"));
        var client = new RedditSentiment.Protos.Sentiment.V1.Scorer.ScorerClient(channel);
        var result = await Measure.ThroughputAsync(callers, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), async (worker, i) =>
        {
            var request = new ScoreRequest { Model = model };
            var start = (int)((worker * 7919 + i * batchSize) % texts.Length);
            for (var j = 0; j < batchSize; j++)
            {
                request.Items.Add(new TextItem { Id = $"{j}", Text = texts[(start + j) % texts.Length] });
            }

            return (await client.ScoreAsync(request)).Results.Count;
        });
        return result.TextsPerSecond;
    }
}
