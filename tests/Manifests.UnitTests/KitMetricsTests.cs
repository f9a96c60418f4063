using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Collector.Infrastructure;
using Manifests.Generator.Observability;
using Microsoft.Extensions.DependencyInjection;
using Scorer.Infrastructure;

namespace Manifests.UnitTests;

/// <summary>
/// The metric names the alerts and the dashboard use exist: the services' own ones among the instruments
/// their meters declare (as Prometheus names them), the rest from Prometheus or the exporters. The
/// integration tests check the same names against the running services' /metrics.
/// </summary>
[Collection(GeneratedKitCollection.Name)]
public sealed class KitMetricsTests(GeneratedKit kit)
{
    /// <summary>
    /// The exporters' metrics the kit may use (postgres-exporter, redis_exporter); the integration tests run
    /// both exporters against real servers and check these names in their output.
    /// </summary>
    private static readonly HashSet<string> ExporterMetrics =
    [
        "pg_up", "pg_stat_activity_count", "pg_settings_max_connections",
        "redis_up", "redis_memory_used_bytes", "redis_memory_max_bytes",
    ];

    /// <summary>ASP.NET Core's request histogram (its meter is not ours to instantiate here).</summary>
    private static readonly HashSet<string> AspNetCoreMetrics =
    [
        "http_server_request_duration_seconds_bucket", "http_server_request_duration_seconds_count", "http_server_request_duration_seconds_sum",
    ];

    [Theory]
    [InlineData("sum by (queue) (rate(collector_items_processed_total[5m]))", new[] { "collector_items_processed_total" })]
    [InlineData("max by (queue) (deriv(collector_queue_length{queue=~\"reddit:(posts|comments):queue\"}[10m])) > 0 and up == 0", new[] { "collector_queue_length", "up" })]
    [InlineData("histogram_quantile(0.99, sum by (le, model) (rate(scorer_queue_time_seconds_bucket[$__rate_interval]))) + on (model) x_total", new[] { "scorer_queue_time_seconds_bucket", "x_total" })]
    [InlineData("a / clamp_min(sum(rate(b[5m])) + sum(rate(c[5m])), 1e-9) > 0.05", new[] { "a", "b", "c" })]
    [InlineData("max(redis_memory_used_bytes) / max(redis_memory_max_bytes > 0) offset 5m", new[] { "redis_memory_max_bytes", "redis_memory_used_bytes" })]
    public void PromQl_metric_names_are_found(string expression, string[] expected)
    {
        Assert.Equal(expected, PromQl.MetricNames(expression));
    }

    [Fact]
    public void The_kit_uses_metrics_for_every_part_of_the_pipeline()
    {
        var used = KitMetrics.Used(kit.Mapping).Keys.ToHashSet();

        Assert.Superset(new HashSet<string>
        {
            "collector_items_ingested_total", "collector_queue_length", "collector_items_processed_total", "collector_items_failed_total",
            "scorer_texts_total", "scorer_requests_total", "scorer_batch_size_bucket", "scorer_queue_time_seconds_bucket",
            "scorer_inference_time_seconds_bucket", "http_server_request_duration_seconds_count", "up",
        }, used);
    }

    [Fact]
    public void Every_service_metric_the_kit_uses_is_declared_by_a_services_meter()
    {
        var declared = DeclaredPrometheusNames().Concat(AspNetCoreMetrics).ToHashSet();
        var missing = KitMetrics.Used(kit.Mapping)
            .Where(m => KitMetrics.SourceOf(m.Key) == MetricSource.Services && !declared.Contains(m.Key))
            .Select(m => $"{m.Key} (used by {string.Join(", ", m.Value)})")
            .ToList();

        Assert.True(missing.Count == 0, $"not exported by any service:\n{string.Join("\n", missing)}\ndeclared:\n{string.Join("\n", declared.Order())}");
    }

    [Fact]
    public void Every_other_metric_comes_from_prometheus_or_an_exporter_of_the_kit()
    {
        var others = KitMetrics.Used(kit.Mapping).Keys.Where(m => KitMetrics.SourceOf(m) != MetricSource.Services).ToList();

        Assert.All(others, m => Assert.True(m == "up" || ExporterMetrics.Contains(m), $"{m} has no known exporter"));
    }

    [Fact]
    public void Dashboard_queries_use_the_datasource_variables_and_the_tables_the_collector_creates()
    {
        var dashboard = JsonNode.Parse(kit.Read($"manifests/monitoring/dashboards/{Dashboard.FileName}"))!.AsObject();
        var panels = dashboard["panels"]!.AsArray().Select(p => p!.AsObject()).ToList();
        var ids = panels.Select(p => p["id"]!.GetValue<int>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var migrations = string.Concat(Directory.EnumerateFiles(Path.Combine(kit.Root, "Collector/Storage/Migrations"), "*.sql").Select(File.ReadAllText));
        foreach (var panel in panels.Where(p => p["type"]!.GetValue<string>() != "row"))
        {
            var uid = panel["datasource"]!["uid"]!.GetValue<string>();
            Assert.Contains(uid, new[] { "${datasource}", "${postgres}" });
            foreach (var target in panel["targets"]!.AsArray())
            {
                if (target!["rawSql"]?.GetValue<string>() is { } sql)
                {
                    foreach (var identifier in new[] { "reddit_posts", "reddit_comments", "subreddit", "scored_at", "sentiment_score", "sentiment_label" }.Where(sql.Contains))
                    {
                        Assert.Contains(identifier, migrations);
                    }
                }
            }
        }
    }

    /// <summary>The Prometheus names of the instruments the Scorer's, the Collector's and the Gateway's meters declare.</summary>
    private static IEnumerable<string> DeclaredPrometheusNames()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name.StartsWith("RedditSentiment.", StringComparison.Ordinal))
                {
                    instruments.Add(instrument);
                }
            },
        };
        listener.Start();

        using var scorer = new ScorerTelemetry(factory);
        scorer.ObserveQueueDepth(() => []);
        using var collector = new CollectorTelemetry(factory);
        using var gateway = new Gateway.Infrastructure.GatewayTelemetry(factory);

        Assert.NotEmpty(instruments);
        return instruments.SelectMany(PrometheusNames);
    }

    /// <summary>How the OpenTelemetry Prometheus exporter names an instrument's series.</summary>
    private static IEnumerable<string> PrometheusNames(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        var unit = instrument.Unit switch
        {
            null or "" => "",
            var u when u.StartsWith('{') => "",
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            var u => $"_{u}",
        };
        name += unit;
        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>))
        {
            return [$"{name}_total"];
        }

        if (type == typeof(Histogram<>))
        {
            return [$"{name}_bucket", $"{name}_sum", $"{name}_count"];
        }

        return [name];
    }
}
