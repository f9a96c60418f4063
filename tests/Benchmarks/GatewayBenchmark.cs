using System.CommandLine;
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
/// <c>gateway</c>: REST read latency and rate at 64 concurrent connections on a cached aggregate read (load from
/// wrk, see <see cref="WrkLoad"/>), and gRPC bulk scoring through the Gateway against straight to the Scorer.
/// </summary>
public static class GatewayBenchmark
{
    private const int BulkRounds = 3;

    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Seconds of the REST measurement.", DefaultValueFactory = _ => 10 };
        var connections = new Option<int>("--connections") { Description = "wrk's concurrent connections.", DefaultValueFactory = _ => 64 };
        var wrkThreads = new Option<int>("--wrk-threads") { Description = "wrk's threads.", DefaultValueFactory = _ => 1 };
        var path = new Option<string>("--path") { Description = "The REST read.", DefaultValueFactory = _ => "/api/v1/subreddits" };
        var bulkTexts = new Option<int>("--bulk-texts") { Description = "Texts of the gRPC bulk scoring, over all its rounds.", DefaultValueFactory = _ => 4000 };
        var model = new Option<string>("--model") { Description = "The model of the bulk scoring.", DefaultValueFactory = _ => "accurate" };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of load before the REST measurement.", DefaultValueFactory = _ => 15 };
        var serviceSettings = new Option<string?>("--settings")
        {
            Description = "More of the AppHost's ServiceSettings, for experiments: \"service:Key=Value ...\".",
            HelpName = "SETTINGS",
        };
        return BenchmarkCommand.Create("gateway",
            "The whole app: REST read latency and rate from wrk on a cached aggregate read, and gRPC bulk scoring through the Gateway against straight to the Scorer.",
            [seconds, connections, wrkThreads, path, bulkTexts, model, warmup, serviceSettings],
            (parsed, input) => RunAsync(
                parsed.GetValue(seconds), parsed.GetValue(connections), parsed.GetValue(wrkThreads), parsed.GetRequiredValue(path),
                parsed.GetValue(bulkTexts), parsed.GetRequiredValue(model), parsed.GetValue(warmup), parsed.GetValue(serviceSettings), input));
    }

    /// <param name="serviceSettings">More of the AppHost's ServiceSettings, "service:Key=Value ...".</param>
    public static async Task<int> RunAsync(
        double seconds, int connections, int wrkThreads, string path, int bulkTexts, string model, double warmupSeconds, string? serviceSettings, string? input)
    {
        var duration = TimeSpan.FromSeconds(seconds);
        var texts = Corpus.Load(input);
        if (!WrkLoad.Installed())
        {
            Console.Error.WriteLine("the REST load comes from wrk: run scripts/setup (it installs the Debian package)");
            return 2;
        }

        // The per-client limit would measure the limiter, not the read path.
        await using var harness = await AppHarness.StartAsync(
            ["gateway:Gateway__RateLimits__TokenLimit=1000000", "gateway:Gateway__RateLimits__TokensPerSecond=1000000",
                .. (serviceSettings ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        var token = await harness.ServiceTokenAsync();
        await SeedAsync(harness, texts);

        // Straight to the Gateway's port: no orchestrator proxy between, so that what the two shared cores spend
        // goes to the Gateway, not the rig.
        var readUrl = new Uri(harness.DirectEndpoint(ResourceNames.Gateway, "http"), path);
        // A long warm-up: on two saturated cores the services' tiered JIT takes many seconds to reach its
        // optimised code, and the figures are for the steady state. The first request fills the cache.
        await WrkLoad.RunAsync(readUrl, token, connections, wrkThreads, TimeSpan.FromSeconds(warmupSeconds));
        var rest = await WrkLoad.RunAsync(readUrl, token, connections, wrkThreads, duration);

        // Through the Gateway and straight to the Scorer in alternating rounds, so that drift on the shared cores
        // falls on both alike.
        var headers = new Metadata { { "Authorization", $"Bearer {token}" } };
        var gatewayAddress = harness.DirectEndpoint(ResourceNames.Gateway, "grpc");
        var scorerAddress = harness.DirectEndpoint(ResourceNames.Scorer, "grpc");
        var (viaGatewayRounds, directRounds) = (new List<double>(), new List<double>());
        for (var round = 0; round < BulkRounds; round++)
        {
            viaGatewayRounds.Add(await BulkAsync(gatewayAddress, headers, model, texts, bulkTexts / BulkRounds,
                (channel, h) => new RedditSentiment.Protos.Gateway.V1.SentimentApi.SentimentApiClient(channel).ScoreStream(h)));
            directRounds.Add(await BulkAsync(scorerAddress, headers, model, texts, bulkTexts / BulkRounds,
                (channel, h) => new RedditSentiment.Protos.Sentiment.V1.Scorer.ScorerClient(channel).ScoreStream(h)));
        }

        var (viaGateway, direct) = (viaGatewayRounds.Average(), directRounds.Average());

        Report.Print($"gateway: {connections} connections on a cached aggregate read; bulk scoring of {bulkTexts:N0} texts ({model})",
            [
                ("REST requests/s (wrk)", Report.N(rest.RequestsPerSecond)),
                ("REST p50 / p90 / p99 / max ms",
                    $"{Report.F(rest.P50Us / 1e3)} / {Report.F(rest.P90Us / 1e3)} / {Report.F(rest.P99Us / 1e3)} / {Report.F(rest.MaxUs / 1e3)}"),
                ("gRPC bulk through the Gateway: texts/s", Report.N(viaGateway)),
                ("gRPC bulk straight to the Scorer: texts/s", Report.N(direct)),
                ("Gateway / direct", Report.F(viaGateway / direct, 3)),
            ],
            new
            {
                RestRps = Report.Round(rest.RequestsPerSecond),
                RestP50Ms = Math.Round(rest.P50Us / 1e3, 2),
                RestP99Ms = Math.Round(rest.P99Us / 1e3, 2),
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
        await AppHarness.ProcessAsync(db, entries.Length, () => db.ListLeftPushAsync(RedisKeys.CommentsQueue, entries));
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
