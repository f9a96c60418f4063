using System.Net.Http.Headers;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Collector.Model;
using Collector.Queues;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using RedditSentiment.Protos.Sentiment.V1;
using StackExchange.Redis;

namespace Benchmarks;

/// <summary>
/// <c>gateway</c>: REST read latency and rate at 64 concurrent connections on a cached aggregate read, and
/// gRPC bulk scoring through the Gateway against straight to the Scorer. Options: --seconds (10),
/// --connections (64), --bulk-texts (4000), --model (accurate).
/// </summary>
public static class GatewayBenchmark
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var duration = TimeSpan.FromSeconds(arguments.Seconds("seconds", 10));
        var connections = arguments.Int("connections", 64);
        var bulkTexts = arguments.Int("bulk-texts", 4000);
        var model = arguments.Text("model", "accurate");
        var texts = Corpus.Load(arguments);

        // The per-client limit would measure the limiter, not the read path.
        await using var harness = await AppHarness.StartAsync(
            "gateway:Gateway__RateLimits__TokenLimit=1000000", "gateway:Gateway__RateLimits__TokensPerSecond=1000000");
        var token = await harness.ServiceTokenAsync();
        await SeedAsync(harness, texts);

        using var http = harness.App.CreateHttpClient(ResourceNames.Gateway, "http");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await http.GetAsync("/api/v1/subreddits")).EnsureSuccessStatusCode(); // fills the cache
        var rest = await Measure.ThroughputAsync(connections, TimeSpan.FromSeconds(2), duration, async (_, _) =>
        {
            using var response = await http.GetAsync("/api/v1/subreddits");
            response.EnsureSuccessStatusCode();
            return 1;
        });

        var headers = new Metadata { { "Authorization", $"Bearer {token}" } };
        var viaGateway = await BulkAsync(harness.App.GetEndpoint(ResourceNames.Gateway, "grpc"), headers, model, texts, bulkTexts,
            (channel, h) => new RedditSentiment.Protos.Gateway.V1.SentimentApi.SentimentApiClient(channel).ScoreStream(h));
        var direct = await BulkAsync(harness.App.GetEndpoint(ResourceNames.Scorer, "grpc"), headers, model, texts, bulkTexts,
            (channel, h) => new RedditSentiment.Protos.Sentiment.V1.Scorer.ScorerClient(channel).ScoreStream(h));

        Report.Print($"gateway: {connections} connections on a cached aggregate read; bulk scoring of {bulkTexts:N0} texts ({model})",
            [
                ("REST requests/s", Report.N(rest.TextsPerSecond)),
                ("REST p50 / p99 ms", $"{Report.F(rest.Percentile(50))} / {Report.F(rest.Percentile(99))}"),
                ("gRPC bulk through the Gateway: texts/s", Report.N(viaGateway)),
                ("gRPC bulk straight to the Scorer: texts/s", Report.N(direct)),
                ("Gateway / direct", Report.F(viaGateway / direct, 3)),
            ],
            new
            {
                RestRps = Report.Round(rest.TextsPerSecond),
                RestP50Ms = Math.Round(rest.Percentile(50), 2),
                RestP99Ms = Math.Round(rest.Percentile(99), 2),
                GrpcBulkTextsPerS = Report.Round(viaGateway),
                ScorerDirectTextsPerS = Report.Round(direct),
            });
        return 0;
    }

    /// <summary>A few thousand scored items, so the aggregate read has real work behind its cache.</summary>
    private static async Task SeedAsync(AppHarness harness, string[] texts)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await harness.App.GetConnectionStringAsync(ResourceNames.Redis))!);
        var db = redis.GetDatabase();
        var now = DateTimeOffset.UtcNow;
        var entries = Enumerable.Range(0, 3000).Select(i => (RedisValue)new QueueEnvelope
        {
            Item = new RedditItem(RedditItemKind.Comment, $"s{i:x}", $"seed{i % 25}", "u", null, texts[i % texts.Length], now.AddMinutes(-i)),
            Source = "benchmark",
            EnqueuedAt = now,
        }.Serialize()).ToArray();
        var before = (long)await db.StringGetAsync(QueueKeys.ProcessedCount);
        await db.ListLeftPushAsync(QueueKeys.Comments, entries);
        while ((long)await db.StringGetAsync(QueueKeys.ProcessedCount) - before < entries.Length)
        {
            await Task.Delay(200);
        }
    }

    private static async Task<double> BulkAsync(Uri address, Metadata headers, string model, string[] texts, int total,
        Func<GrpcChannel, Metadata, AsyncDuplexStreamingCall<ScoreRequest, ScoreResponse>> open)
    {
        using var channel = GrpcChannel.ForAddress(address);
        const int PerMessage = 256;

        async Task<int> RunAsync(int count)
        {
            using var call = open(channel, headers);
            var sending = Task.Run(async () =>
            {
                for (var start = 0; start < count; start += PerMessage)
                {
                    var request = new ScoreRequest { Model = model };
                    for (var i = start; i < Math.Min(count, start + PerMessage); i++)
                    {
                        request.Items.Add(new TextItem { Id = $"{i}", Text = texts[i % texts.Length] });
                    }

                    await call.RequestStream.WriteAsync(request);
                }

                await call.RequestStream.CompleteAsync();
            });
            var received = 0;
            await foreach (var response in call.ResponseStream.ReadAllAsync())
            {
                received += response.Results.Count;
            }

            await sending;
            return received;
        }

        await RunAsync(Math.Min(total, 512)); // warm-up
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var done = await RunAsync(total);
        return done / watch.Elapsed.TotalSeconds;
    }
}
