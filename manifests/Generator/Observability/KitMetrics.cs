using Manifests.Generator.Mapping;

namespace Manifests.Generator.Observability;

/// <summary>Who exports a metric the kit uses.</summary>
public enum MetricSource
{
    /// <summary>The platform's services (/metrics of Identity, Scorer, Collector, Gateway).</summary>
    Services,

    /// <summary>Prometheus itself (<c>up</c>).</summary>
    Prometheus,

    /// <summary>The postgres-exporter sidecar next to PostgreSQL.</summary>
    PostgresExporter,

    /// <summary>The redis_exporter sidecar next to Redis.</summary>
    RedisExporter,
}

/// <summary>Every metric the alerts and the dashboard read, and where it comes from.</summary>
public static class KitMetrics
{
    public static MetricSource SourceOf(string metric) => metric switch
    {
        "up" => MetricSource.Prometheus,
        _ when metric.StartsWith("pg_", StringComparison.Ordinal) => MetricSource.PostgresExporter,
        _ when metric.StartsWith("redis_", StringComparison.Ordinal) => MetricSource.RedisExporter,
        _ => MetricSource.Services,
    };

    /// <summary>Each Prometheus expression of the kit, with where it is used.</summary>
    public static IEnumerable<(string Where, string Expression)> Expressions(PlatformMapping mapping) =>
        Alerts.Rules(mapping).Select(r => ($"alert {r.Alert}", r.Expr))
            .Concat(Dashboard.PrometheusTargets().Select(t => ($"panel '{t.Panel}'", t.Expr)));

    /// <summary>Metric name → the places that read it.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Used(PlatformMapping mapping) =>
        Expressions(mapping)
            .SelectMany(e => PromQl.MetricNames(e.Expression).Select(name => (name, e.Where)))
            .GroupBy(x => x.name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(x => x.Where).Distinct().ToList(), StringComparer.Ordinal);
}
