using Manifests.Generator.Mapping;

namespace Manifests.Generator.Observability;

public sealed record AlertRule(string Alert, string Expr, string For, string Severity, string Summary, string Description);

/// <summary>The runbook's symptoms as Prometheus alerts (one PrometheusRule).</summary>
public static class Alerts
{
    public const string WorkQueues = RedisKeys.WorkQueuesPattern;
    private const string NotInfrastructurePaths = "http_route!~\"/health|/alive|/metrics\"";

    /// <summary>Seconds to drain the work queues at the current storing rate.</summary>
    public const string DrainSeconds =
        $"sum(max by (queue) (collector_queue_length{{queue=~\"{WorkQueues}\"}})) / clamp_min(sum(rate(collector_items_processed_total[5m])), 0.01)";

    public static IReadOnlyList<AlertRule> Rules(PlatformMapping mapping)
    {
        var jobs = string.Join("|", mapping.Workloads.Select(w => w.Workload.Name));
        return
        [
            new("CollectorQueueGrowing",
                $"max by (queue) (deriv(collector_queue_length{{queue=~\"{WorkQueues}\"}}[10m])) > 0 and max by (queue) (collector_queue_length{{queue=~\"{WorkQueues}\"}}) > 1000",
                "15m", "warning",
                "Redis queue {{ $labels.queue }} has grown for 15 minutes",
                "Workers are not keeping up. Check the Scorer (RESOURCE_EXHAUSTED, latency) and PostgreSQL, then add workers: kubectl scale deployment sentiment-workers --replicas=N (or raise the autoscaler's minReplicas)."),
            new("CollectorProcessingLag",
                $"{DrainSeconds} > 600",
                "10m", "warning",
                "The work queues would take {{ $value | humanizeDuration }} to drain",
                "Items wait more than 10 minutes before they are scored and stored. Add workers, or raise BATCH_SIZE: kubectl set env deployment/sentiment-workers BATCH_SIZE=100."),
            new("CollectorFailedItemRate",
                "sum(rate(collector_items_failed_total[5m])) / clamp_min(sum(rate(collector_items_processed_total[5m])) + sum(rate(collector_items_failed_total[5m])), 1e-9) > 0.05",
                "10m", "warning",
                "More than 5% of items end in the failed queue",
                "See the reasons: redis-cli lrange reddit:failed:queue 0 9. Send them back once fixed: redis-cli lmove reddit:failed:queue reddit:reprocess:queue RIGHT LEFT."),
            new("ScorerLatencyP99High",
                "histogram_quantile(0.99, sum by (le, model) (rate(scorer_queue_time_seconds_bucket[5m]))) + on (model) histogram_quantile(0.99, sum by (le, model) (rate(scorer_inference_time_seconds_bucket[5m]))) > 0.5",
                "10m", "warning",
                "Scorer p99 (queue + inference) of model {{ $labels.model }} is above 500 ms",
                "The model's batches queue up. Scale the Scorer (kubectl scale deployment sentiment-model --replicas=N) or move it to GPU nodes (overlay gpu)."),
            new("ScorerResourceExhausted",
                "sum by (model) (rate(scorer_requests_total{status=\"ResourceExhausted\"}[5m])) / sum by (model) (rate(scorer_requests_total[5m])) > 0.01",
                "5m", "warning",
                "More than 1% of Scorer calls for {{ $labels.model }} answer RESOURCE_EXHAUSTED",
                "The model's queue is full; workers back off and the queues grow. Add Scorer replicas or lower the workers' BATCH_SIZE."),
            new("Http5xxRate",
                $"sum by (job) (rate(http_server_request_duration_seconds_count{{http_response_status_code=~\"5..\", {NotInfrastructurePaths}}}[5m])) / sum by (job) (rate(http_server_request_duration_seconds_count{{{NotInfrastructurePaths}}}[5m])) > 0.05",
                "5m", "critical",
                "{{ $labels.job }} answers more than 5% of requests with 5xx",
                "Check kubectl logs deployment/{{ $labels.job }} and its /health (PostgreSQL, Redis)."),
            new("ServiceDown",
                $"up{{job=~\"{jobs}\"}} == 0",
                "2m", "critical",
                "{{ $labels.job }} ({{ $labels.pod }}) does not answer its metrics scrape",
                "kubectl get pods -l app={{ $labels.job }}; kubectl describe pod {{ $labels.pod }}."),
            new("PostgresDown",
                "pg_up == 0",
                "2m", "critical",
                "PostgreSQL does not answer its exporter",
                "kubectl logs statefulset/postgres -c postgres; every service's /health is Unhealthy meanwhile."),
            new("RedisDown",
                "redis_up == 0",
                "2m", "critical",
                "Redis does not answer its exporter",
                "kubectl logs deployment/redis -c redis; ingestion and workers wait meanwhile."),
            new("PostgresConnectionsNearLimit",
                "sum(pg_stat_activity_count) / max(pg_settings_max_connections) > 0.8",
                "5m", "warning",
                "PostgreSQL uses more than 80% of max_connections",
                "Each replica keeps a connection pool: fewer replicas, smaller pools (Maximum Pool Size in the connection string) or a larger max_connections."),
            new("RedisMemoryHigh",
                "max(redis_memory_used_bytes) / max(redis_memory_max_bytes > 0) > 0.85",
                "5m", "critical",
                "Redis uses more than 85% of its maxmemory",
                "Queues are never evicted: at the limit Redis refuses writes. Drain the queues (more workers) or raise --maxmemory and the pod's memory limit."),
            // The Gateway's keyword shift detector exports each tracked keyword's latest z-scores, only where the
            // window has its minimum of mentions; its own threshold (Gateway:Alerts:Threshold) is 3 too.
            new("KeywordSentimentShift",
                "max by (keyword) (abs(sentiment_keyword_shift_zscore{test=\"sentiment\"})) >= 3",
                "10m", "warning",
                "The sentiment of tracked keyword \"{{ $labels.keyword }}\" shifted (|z| = {{ $value | printf \"%.1f\" }})",
                "Its latest hours read far from its trailing week. See GET /api/v1/alerts?keyword=ID and the keyword's trend on the dashboard."),
            new("KeywordVolumeSpike",
                "max by (keyword) (sentiment_keyword_shift_zscore{test=\"volume\"}) >= 3",
                "10m", "warning",
                "Tracked keyword \"{{ $labels.keyword }}\" is mentioned far more than usual (z = {{ $value | printf \"%.1f\" }})",
                "Mentions in its latest hours are well above its trailing week's rate. See GET /api/v1/alerts and the keyword's trend."),
        ];
    }

    /// <summary>The PrometheusRule object (monitoring.coreos.com/v1).</summary>
    public static object PrometheusRule(PlatformMapping mapping) => new Dictionary<string, object?>
    {
        ["apiVersion"] = "monitoring.coreos.com/v1",
        ["kind"] = "PrometheusRule",
        ["metadata"] = new Dictionary<string, object?>
        {
            ["name"] = "reddit-sentiment-alerts",
            ["labels"] = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = mapping.PartOf },
        },
        ["spec"] = new Dictionary<string, object?>
        {
            ["groups"] = new List<object>
            {
                new Dictionary<string, object?>
                {
                    ["name"] = "reddit-sentiment.pipeline",
                    ["rules"] = Rules(mapping).Select(r => new Dictionary<string, object?>
                    {
                        ["alert"] = r.Alert,
                        ["expr"] = r.Expr,
                        ["for"] = r.For,
                        ["labels"] = new Dictionary<string, string> { ["severity"] = r.Severity },
                        ["annotations"] = new Dictionary<string, string> { ["summary"] = r.Summary, ["description"] = r.Description },
                    }).ToList(),
                },
            },
        },
    };
}
