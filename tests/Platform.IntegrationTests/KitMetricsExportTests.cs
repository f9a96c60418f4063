using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using Collector.Model;
using Collector.Queues;
using Grpc.Net.Client;
using Manifests.Generator;
using Manifests.Generator.Mapping;
using Manifests.Generator.Observability;
using RedditSentiment.Protos.Sentiment.V1;
using StackExchange.Redis;
using Xunit.Abstractions;
using ScorerClient = RedditSentiment.Protos.Sentiment.V1.Scorer.ScorerClient;

namespace Platform.IntegrationTests;

/// <summary>
/// Every metric the Kubernetes kit's alerts and dashboard read (manifests/monitoring) is one the running
/// services really export on /metrics, under the name Prometheus sees (with its _total, _seconds, _bucket
/// suffixes), after traffic through each part of the pipeline.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class KitMetricsExportTests(PlatformFixture platform, ITestOutputHelper output)
{
    /// <summary>
    /// Recorded only on events this run cannot cause on purpose: Reddit ingestion and validation (they
    /// need the Reddit API or a dump), and texts dropped by a full queue or an expired deadline. The
    /// manifests' unit tests check these against the instruments the meters declare.
    /// </summary>
    private static readonly HashSet<string> RecordedOnlyOnRareEvents =
        ["collector_items_ingested_total", "collector_items_invalid_total", "scorer_texts_dropped_total"];

    [Fact]
    public async Task Every_service_metric_of_the_kit_is_exported_after_traffic()
    {
        var mapping = PlatformMapping.Load(Path.Combine(RepositoryLayout.FindRoot(AppContext.BaseDirectory), RepositoryLayout.MappingPath));
        var used = KitMetrics.Used(mapping).Where(m => KitMetrics.SourceOf(m.Key) == MetricSource.Services).ToDictionary();
        Assert.Superset(RecordedOnlyOnRareEvents, used.Keys.ToHashSet()); // no stale exceptions
        var expected = used.Keys.Where(m => !RecordedOnlyOnRareEvents.Contains(m)).ToHashSet();

        await DriveThePipelineAsync();

        var series = new Dictionary<string, HashSet<string>>();
        var exported = await Eventually.HoldsAsync(async ct =>
        {
            series = await ScrapeAllAsync(ct);
            return expected.All(series.ContainsKey);
        }, TimeSpan.FromSeconds(90));

        var missing = expected.Where(m => !series.ContainsKey(m)).Select(m => $"{m} (used by {string.Join(", ", used[m])})");
        Assert.True(exported, $"not exported by any service:\n{string.Join("\n", missing)}");
        foreach (var name in RecordedOnlyOnRareEvents)
        {
            output.WriteLine($"{name}: {(series.ContainsKey(name) ? "exported" : "not recorded in this run (checked against the meter's declaration by the unit tests)")}");
        }

        // The labels the kit groups and filters by.
        Assert.Superset(new HashSet<string> { "model", "status" }, series["scorer_requests_total"]);
        Assert.Contains("model", series["scorer_queue_time_seconds_bucket"]);
        Assert.Superset(new HashSet<string> { "stage", "reason" }, series["collector_items_failed_total"]);
        Assert.Contains("queue", series["collector_queue_length"]);
        Assert.Superset(new HashSet<string> { "http_response_status_code", "http_route", "le" }, series["http_server_request_duration_seconds_bucket"]);
    }

    /// <summary>
    /// A scoring call, one good and one malformed queue entry, and mentions of a tracked keyword: the Scorer's, the
    /// Collector's and the Gateway's metrics get recorded.
    /// </summary>
    private async Task DriveThePipelineAsync()
    {
        using var channel = GrpcChannel.ForAddress(platform.App.GetEndpoint(ResourceNames.Scorer, "grpc"));
        var request = new ScoreRequest { Model = "fast" };
        request.Items.Add(new TextItem { Id = "m0", Text = "Metrics make operators happy." });
        await new ScorerClient(channel).ScoreAsync(request);

        using var redis = await ConnectionMultiplexer.ConnectAsync((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!);
        var db = redis.GetDatabase();
        var run = Guid.NewGuid().ToString("N")[..8];
        var entry = new QueueEnvelope
        {
            Item = new RedditItem(RedditItemKind.Post, $"m{run}", "metrics", "tester", "title", "A fine day for metrics.", DateTimeOffset.UtcNow),
            Source = "test",
            EnqueuedAt = DateTimeOffset.UtcNow,
        };
        await db.ListLeftPushAsync(RedisKeys.PostsQueue, entry.Serialize());
        await db.ListLeftPushAsync(RedisKeys.CommentsQueue, $"not json {run}");

        // A tracked keyword with a window's minimum of mentions: the Gateway's shift detector exports its z-scores.
        using var admin = await platform.GatewayClientAsync(Caller.Admin);
        var subreddit = $"metrics{run}";
        (await admin.PostAsJsonAsync("/api/v1/admin/keywords", new { phrase = "metric pipeline", subreddit })).EnsureSuccessStatusCode();
        var mentions = Enumerable.Range(0, new Gateway.Services.AlertOptions().MinMentions)
            .Select(i => (RedisValue)TestItems.Envelope(RedditItemKind.Comment, $"m{run}k{i}", "the metric pipeline is humming along", subreddit).Serialize())
            .ToArray();
        await db.ListLeftPushAsync(RedisKeys.CommentsQueue, mentions);

        // Wait until both are handled, so no later test counts them.
        Assert.True(await Eventually.HoldsAsync(async _ =>
                (await db.ListRangeAsync(RedisKeys.FailedQueue)).Any(v => QueueEnvelope.TryParse(v!)?.Raw == $"not json {run}") &&
                await db.ListLengthAsync(RedisKeys.PostsQueue) == 0,
            TimeSpan.FromMinutes(2)), "the queued entries were not handled");
    }

    /// <summary>Metric name → label names, over every service's /metrics.</summary>
    private async Task<Dictionary<string, HashSet<string>>> ScrapeAllAsync(CancellationToken cancellationToken)
    {
        var series = new Dictionary<string, HashSet<string>>();
        foreach (var service in PlatformFixture.Services)
        {
            using var http = platform.App.CreateHttpClient(service, "http");
            var text = await http.GetStringAsync("/metrics", cancellationToken);
            foreach (var line in text.Split('\n').Where(l => l.Length > 0 && l[0] != '#'))
            {
                var end = line.IndexOfAny(['{', ' ']);
                var name = line[..end];
                if (!series.TryGetValue(name, out var labels))
                {
                    series[name] = labels = [];
                }

                if (line[end] == '{')
                {
                    var body = line[(end + 1)..line.IndexOf('}', end)];
                    foreach (var pair in body.Split("\",", StringSplitOptions.RemoveEmptyEntries))
                    {
                        labels.Add(pair.Split('=', 2)[0].Trim());
                    }
                }
            }
        }

        return series;
    }
}
