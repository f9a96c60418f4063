using System.Text;
using System.Text.RegularExpressions;
using k8s;
using Manifests.Generator.Observability;
using Manifests.UnitTests.Crds;

namespace Manifests.UnitTests;

/// <summary>
/// The alerts and the dashboard's queries are valid PromQL (<c>promtool check rules</c>), and the alerts fire
/// on the symptoms they name and stay quiet otherwise (<c>promtool test rules</c> on synthetic series).
/// </summary>
[Collection(GeneratedKitCollection.Name)]
public sealed partial class AlertRuleTests(GeneratedKit kit) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alert-rules-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private PrometheusRule Rule => (PrometheusRule)Yaml.LoadStrict(kit.Read("manifests/monitoring/prometheus-rules.yaml")).Single();

    /// <summary>The PrometheusRule's groups as a plain Prometheus rule file, plus the dashboard's queries as recording rules.</summary>
    private string WriteRuleFile()
    {
        var groups = Rule.Spec!.Groups!.Select(g => (object)new Dictionary<string, object?>
        {
            ["name"] = g.Name,
            ["rules"] = g.Rules!.Select(r => new Dictionary<string, object?>
            {
                ["alert"] = r.Alert,
                ["expr"] = r.Expr,
                ["for"] = r.For,
                ["labels"] = r.Labels,
                ["annotations"] = r.Annotations,
            }).ToList(),
        }).ToList();
        groups.Add(new Dictionary<string, object?>
        {
            ["name"] = "dashboard",
            ["rules"] = Dashboard.PrometheusTargets().Select((t, i) => new Dictionary<string, object?>
            {
                ["record"] = $"dashboard:query_{i}",
                ["expr"] = t.Expr.Replace("$__rate_interval", "5m", StringComparison.Ordinal),
            }).ToList(),
        });

        File.WriteAllText(Path.Combine(_folder, "rules.yaml"), KubernetesYaml.Serialize(new Dictionary<string, object?> { ["groups"] = groups }));
        return "rules.yaml";
    }

    [PromToolFact]
    public async Task Alerts_and_dashboard_queries_are_valid_promql()
    {
        var (exitCode, output) = await PromTool.RunAsync(_folder, "check", "rules", WriteRuleFile());

        Assert.True(exitCode == 0, output);
    }

    private sealed record Scenario(string Name, string[] Series, int EvalMinutes, string Alert, Dictionary<string, string>? Fires, string? Value = null);

    private static Dictionary<string, string> L(params string[] pairs) =>
        Enumerable.Range(0, pairs.Length / 2).ToDictionary(i => pairs[2 * i], i => pairs[2 * i + 1]);

    private static readonly Scenario[] Scenarios =
    [
        new("a work queue that keeps growing", ["collector_queue_length{queue=\"reddit:posts:queue\", pod=\"w1\"} 2000+100x40"],
            30, "CollectorQueueGrowing", L("queue", "reddit:posts:queue", "severity", "warning")),
        new("a large queue that drains", ["collector_queue_length{queue=\"reddit:posts:queue\", pod=\"w1\"} 6000-100x40"],
            30, "CollectorQueueGrowing", null),
        new("10,000 items stored at one a second", [
                "collector_queue_length{queue=\"reddit:posts:queue\", pod=\"w1\"} 10000x40",
                "collector_items_processed_total{model=\"fast\", pod=\"w1\"} 0+60x40"],
            25, "CollectorProcessingLag", L("severity", "warning"), "2h 46m 40s"),
        new("a backlog that drains in minutes", [
                "collector_queue_length{queue=\"reddit:posts:queue\", pod=\"w1\"} 1000x40",
                "collector_items_processed_total{model=\"fast\", pod=\"w1\"} 0+600x40"],
            25, "CollectorProcessingLag", null),
        new("one item in eleven fails", [
                "collector_items_failed_total{stage=\"scoring\", reason=\"scorer_rejected\", pod=\"w1\"} 0+10x30",
                "collector_items_processed_total{model=\"fast\", pod=\"w1\"} 0+100x30"],
            20, "CollectorFailedItemRate", L("severity", "warning")),
        new("a slow model", [
                "scorer_queue_time_seconds_bucket{model=\"fast\", le=\"0.5\"} 0x30",
                "scorer_queue_time_seconds_bucket{model=\"fast\", le=\"1\"} 0+100x30",
                "scorer_queue_time_seconds_bucket{model=\"fast\", le=\"+Inf\"} 0+100x30",
                "scorer_inference_time_seconds_bucket{model=\"fast\", le=\"0.1\"} 0+100x30",
                "scorer_inference_time_seconds_bucket{model=\"fast\", le=\"+Inf\"} 0+100x30"],
            20, "ScorerLatencyP99High", L("model", "fast", "severity", "warning")),
        new("a full scorer queue", [
                "scorer_requests_total{model=\"fast\", status=\"OK\"} 0+100x20",
                "scorer_requests_total{model=\"fast\", status=\"ResourceExhausted\"} 0+10x20"],
            15, "ScorerResourceExhausted", L("model", "fast", "severity", "warning")),
        new("half the API calls fail", [
                "http_server_request_duration_seconds_count{job=\"reddit-sentiment-api\", http_route=\"/api/v1/sentiment\", http_response_status_code=\"200\"} 0+100x20",
                "http_server_request_duration_seconds_count{job=\"reddit-sentiment-api\", http_route=\"/api/v1/sentiment\", http_response_status_code=\"500\"} 0+100x20"],
            15, "Http5xxRate", L("job", "reddit-sentiment-api", "severity", "critical")),
        new("readiness probes answer 503 while a dependency is down", [
                "http_server_request_duration_seconds_count{job=\"reddit-sentiment-api\", http_route=\"/api/v1/sentiment\", http_response_status_code=\"200\"} 0+100x20",
                "http_server_request_duration_seconds_count{job=\"reddit-sentiment-api\", http_route=\"/health\", http_response_status_code=\"503\"} 0+100x20"],
            15, "Http5xxRate", null),
        new("the scorer does not answer its scrape", ["up{job=\"sentiment-model\", pod=\"sentiment-model-0\"} 0x10"],
            5, "ServiceDown", L("job", "sentiment-model", "pod", "sentiment-model-0", "severity", "critical")),
        new("PostgreSQL at 90% of max_connections", [
                "pg_stat_activity_count{datname=\"reddit_sentiment\", state=\"active\"} 50x10",
                "pg_stat_activity_count{datname=\"reddit_sentiment\", state=\"idle\"} 40x10",
                "pg_settings_max_connections 100x10"],
            8, "PostgresConnectionsNearLimit", L("severity", "warning")),
        new("a tracked keyword turns negative", [
                "sentiment_keyword_shift_zscore{keyword=\"graphics card\", test=\"sentiment\", pod=\"g1\"} -6x20",
                "sentiment_keyword_shift_zscore{keyword=\"graphics card\", test=\"sentiment\", pod=\"g2\"} -6x20"],
            15, "KeywordSentimentShift", L("keyword", "graphics card", "severity", "warning"), "6.0"),
        new("a tracked keyword within its usual range", ["sentiment_keyword_shift_zscore{keyword=\"gpu\", test=\"sentiment\", pod=\"g1\"} 1.5x20"],
            15, "KeywordSentimentShift", null),
        new("a burst of mentions", ["sentiment_keyword_shift_zscore{keyword=\"outage\", test=\"volume\", pod=\"g1\"} 12x20"],
            15, "KeywordVolumeSpike", L("keyword", "outage", "severity", "warning"), "12.0"),
        new("Redis at 90% of maxmemory", ["redis_memory_used_bytes 90x10", "redis_memory_max_bytes 100x10"],
            8, "RedisMemoryHigh", L("severity", "critical")),
        new("Redis without maxmemory", ["redis_memory_used_bytes 90x10", "redis_memory_max_bytes 0x10"],
            8, "RedisMemoryHigh", null),
    ];

    [PromToolFact]
    public async Task Alerts_fire_on_their_symptoms_and_not_otherwise()
    {
        var rules = WriteRuleFile();
        var annotations = Rule.Spec!.Groups!.SelectMany(g => g.Rules!).ToDictionary(r => r.Alert!, r => r.Annotations!);

        var text = new StringBuilder($"rule_files: [{rules}]\nevaluation_interval: 1m\ntests:\n");
        foreach (var scenario in Scenarios)
        {
            text.Append($"# {scenario.Name}\n- interval: 1m\n  input_series:\n");
            foreach (var series in scenario.Series)
            {
                var split = series.LastIndexOf(' ');
                text.Append($"  - series: '{series[..split]}'\n    values: '{series[(split + 1)..]}'\n");
            }

            text.Append($"  alert_rule_test:\n  - eval_time: {scenario.EvalMinutes}m\n    alertname: {scenario.Alert}\n    exp_alerts:");
            if (scenario.Fires is null)
            {
                text.Append(" []\n");
                continue;
            }

            text.Append("\n    - exp_labels:\n");
            foreach (var (key, value) in scenario.Fires)
            {
                text.Append($"        {key}: {Quote(value)}\n");
            }

            text.Append("      exp_annotations:\n");
            foreach (var (key, template) in annotations[scenario.Alert])
            {
                text.Append($"        {key}: {Quote(Render(template, scenario.Fires, scenario.Value))}\n");
            }
        }

        File.WriteAllText(Path.Combine(_folder, "alerts.test.yaml"), text.ToString());
        var (exitCode, output) = await PromTool.RunAsync(_folder, "test", "rules", "alerts.test.yaml");

        Assert.True(exitCode == 0, $"{output}\n{text}");
    }

    private static string Quote(string value) => $"\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";

    /// <summary>The annotation as Prometheus renders it for these labels (and the value, where it is shown).</summary>
    private static string Render(string template, Dictionary<string, string> labels, string? value) =>
        Template().Replace(template, match => match.Groups[1].Value switch
        {
            var label when label.StartsWith("$labels.", StringComparison.Ordinal) => labels[label["$labels.".Length..]],
            _ => value ?? throw new InvalidOperationException($"the scenario needs the rendered value for '{match.Value}'"),
        });

    [GeneratedRegex(@"\{\{\s*(\$[^}]+?)\s*\}\}")]
    private static partial Regex Template();
}
