using System.Text.Json;
using System.Text.Json.Nodes;
using Manifests.Generator.Output;

namespace Manifests.Generator.Observability;

/// <summary>The pipeline's Grafana dashboard: ingestion, queues, scoring, batches, failures, sentiment.</summary>
public static class Dashboard
{
    public const string Uid = "reddit-sentiment-pipeline";
    public const string FileName = "reddit-sentiment-pipeline.json";

    private const string Rate = "$__rate_interval";

    private abstract record Panel(string Title, string Unit, int Width);

    private sealed record PromPanel(string Title, string Unit, int Width, params (string Legend, string Expr)[] Targets) : Panel(Title, Unit, Width);

    private sealed record SqlPanel(string Title, string Unit, int Width, string Format, string Sql) : Panel(Title, Unit, Width);

    private sealed record Row(string Title, params Panel[] Panels);

    private const string ItemsScored = """
        SELECT subreddit, scored_at FROM reddit_posts WHERE $__timeFilter(scored_at)
        UNION ALL
        SELECT subreddit, scored_at FROM reddit_comments WHERE $__timeFilter(scored_at)
        """;

    private static IReadOnlyList<Row> Rows() =>
    [
        new("Ingestion",
            new PromPanel("Ingest rate by source and kind", "ops", 8,
                ("{{source}} {{kind}}", $"sum by (source, kind) (rate(collector_items_ingested_total[{Rate}]))")),
            new SqlPanel("Items stored by subreddit (PostgreSQL)", "short", 8, "time_series",
                $"SELECT $__timeGroupAlias(scored_at, '5m'), subreddit AS metric, count(*) AS value\nFROM (\n{ItemsScored}\n) items\nGROUP BY 1, 2\nORDER BY 1"),
            new PromPanel("Rejected by validation, by reason", "ops", 8,
                ("{{reason}}", $"sum by (reason) (rate(collector_items_invalid_total[{Rate}]))"))),
        new("Queues",
            new PromPanel("Redis queue depths", "short", 8,
                ("{{queue}}", "max by (queue) (collector_queue_length)")),
            new PromPanel("Backlog drain time at the current rate", "s", 8,
                ("drain time", Alerts.DrainSeconds)),
            new PromPanel("Scorer queue depth by model", "short", 8,
                ("{{model}}", "sum by (model) (scorer_queue_depth)"))),
        new("Scoring",
            new PromPanel("Texts scored per second by model", "ops", 8,
                ("{{model}}", $"sum by (model) (rate(scorer_texts_total[{Rate}]))")),
            new PromPanel("Items stored per second by model", "ops", 8,
                ("{{model}}", $"sum by (model) (rate(collector_items_processed_total[{Rate}]))")),
            new PromPanel("Scorer latency by model", "s", 8,
                ("queue p50 {{model}}", $"histogram_quantile(0.5, sum by (le, model) (rate(scorer_queue_time_seconds_bucket[{Rate}])))"),
                ("queue p99 {{model}}", $"histogram_quantile(0.99, sum by (le, model) (rate(scorer_queue_time_seconds_bucket[{Rate}])))"),
                ("inference p50 {{model}}", $"histogram_quantile(0.5, sum by (le, model) (rate(scorer_inference_time_seconds_bucket[{Rate}])))"),
                ("inference p99 {{model}}", $"histogram_quantile(0.99, sum by (le, model) (rate(scorer_inference_time_seconds_bucket[{Rate}])))")),
            new PromPanel("Scorer gRPC call duration p99", "s", 8,
                ("{{http_route}}", $"histogram_quantile(0.99, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{{job=\"sentiment-model\", http_route=~\"/sentiment.v1.Scorer/.*\"}}[{Rate}])))")),
            new PromPanel("Batch sizes", "short", 8,
                ("scorer p50 {{model}}", $"histogram_quantile(0.5, sum by (le, model) (rate(scorer_batch_size_bucket[{Rate}])))"),
                ("scorer p95 {{model}}", $"histogram_quantile(0.95, sum by (le, model) (rate(scorer_batch_size_bucket[{Rate}])))"),
                ("mean scorer batch {{model}}", $"sum by (model) (rate(scorer_batch_size_sum[{Rate}])) / sum by (model) (rate(scorer_batch_size_count[{Rate}]))")),
            new PromPanel("Worker batch duration (take, score, store)", "s", 8,
                ("p50", $"histogram_quantile(0.5, sum by (le) (rate(collector_batch_duration_seconds_bucket[{Rate}])))"),
                ("p99", $"histogram_quantile(0.99, sum by (le) (rate(collector_batch_duration_seconds_bucket[{Rate}])))"))),
        new("Failures",
            new PromPanel("Failed items by stage and reason", "ops", 6,
                ("{{stage}} {{reason}}", $"sum by (stage, reason) (rate(collector_items_failed_total[{Rate}]))")),
            new PromPanel("Scorer calls that failed, by status", "ops", 6,
                ("{{model}} {{status}}", $"sum by (model, status) (rate(scorer_requests_total{{status!=\"OK\"}}[{Rate}]))")),
            new PromPanel("Texts dropped before inference, by reason", "ops", 6,
                ("{{model}} {{reason}}", $"sum by (model, reason) (rate(scorer_texts_dropped_total[{Rate}]))")),
            new PromPanel("HTTP 5xx share by service", "percentunit", 6,
                ("{{job}}", $"sum by (job) (rate(http_server_request_duration_seconds_count{{http_response_status_code=~\"5..\"}}[{Rate}])) / sum by (job) (rate(http_server_request_duration_seconds_count[{Rate}]))"))),
        new("Sentiment",
            new SqlPanel("Average sentiment by subreddit (PostgreSQL)", "short", 12, "table",
                "SELECT subreddit, round(avg(sentiment_score)::numeric, 3) AS avg_sentiment, count(*) AS items\nFROM (\n  SELECT subreddit, sentiment_score FROM reddit_posts WHERE $__timeFilter(scored_at)\n  UNION ALL\n  SELECT subreddit, sentiment_score FROM reddit_comments WHERE $__timeFilter(scored_at)\n) items\nGROUP BY subreddit\nORDER BY items DESC\nLIMIT 25"),
            new SqlPanel("Sentiment labels over time (PostgreSQL)", "short", 12, "time_series",
                "SELECT $__timeGroupAlias(scored_at, '5m'), sentiment_label AS metric, count(*) AS value\nFROM (\n  SELECT sentiment_label, scored_at FROM reddit_posts WHERE $__timeFilter(scored_at)\n  UNION ALL\n  SELECT sentiment_label, scored_at FROM reddit_comments WHERE $__timeFilter(scored_at)\n) items\nGROUP BY 1, 2\nORDER BY 1")),
    ];

    /// <summary>Every Prometheus query of the dashboard, with its panel.</summary>
    public static IEnumerable<(string Panel, string Expr)> PrometheusTargets() =>
        Rows().SelectMany(r => r.Panels).OfType<PromPanel>().SelectMany(p => p.Targets.Select(t => (p.Title, t.Expr)));

    /// <summary>Every SQL query of the dashboard, with its panel.</summary>
    public static IEnumerable<(string Panel, string Sql)> SqlQueries() =>
        Rows().SelectMany(r => r.Panels).OfType<SqlPanel>().Select(p => (p.Title, p.Sql));

    public static string Json()
    {
        var panels = new JsonArray();
        var id = 1;
        var y = 0;
        foreach (var row in Rows())
        {
            panels.Add(new JsonObject
            {
                ["id"] = id++,
                ["type"] = "row",
                ["title"] = row.Title,
                ["collapsed"] = false,
                ["gridPos"] = GridPos(0, y++, 24, 1),
                ["panels"] = new JsonArray(),
            });
            var x = 0;
            foreach (var panel in row.Panels)
            {
                if (x + panel.Width > 24)
                {
                    x = 0;
                    y += 8;
                }

                panels.Add(PanelJson(panel, id++, GridPos(x, y, panel.Width, 8)));
                x += panel.Width;
            }

            y += 8;
        }

        var dashboard = new JsonObject
        {
            ["uid"] = Uid,
            ["title"] = "Reddit sentiment pipeline",
            ["description"] = $"{GeneratedFile.Notice} Regenerate: {GeneratedFile.RegenerateCommand}",
            ["tags"] = new JsonArray("reddit-sentiment"),
            ["timezone"] = "utc",
            ["schemaVersion"] = 39,
            ["refresh"] = "30s",
            ["time"] = new JsonObject { ["from"] = "now-6h", ["to"] = "now" },
            ["editable"] = true,
            ["templating"] = new JsonObject
            {
                ["list"] = new JsonArray(
                    DatasourceVariable("datasource", "Prometheus", "prometheus"),
                    DatasourceVariable("postgres", "PostgreSQL", "grafana-postgresql-datasource")),
            },
            ["panels"] = panels,
        };
        return dashboard.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonObject PanelJson(Panel panel, int id, JsonObject gridPos)
    {
        var (datasource, targets, type) = panel switch
        {
            PromPanel prom => (Datasource("prometheus", "${datasource}"),
                new JsonArray(prom.Targets.Select((t, i) => (JsonNode)new JsonObject
                {
                    ["refId"] = ((char)('A' + i)).ToString(),
                    ["datasource"] = Datasource("prometheus", "${datasource}"),
                    ["expr"] = t.Expr,
                    ["legendFormat"] = t.Legend,
                    ["range"] = true,
                }).ToArray()),
                "timeseries"),
            SqlPanel sql => (Datasource("grafana-postgresql-datasource", "${postgres}"),
                new JsonArray(new JsonObject
                {
                    ["refId"] = "A",
                    ["datasource"] = Datasource("grafana-postgresql-datasource", "${postgres}"),
                    ["editorMode"] = "code",
                    ["format"] = sql.Format,
                    ["rawQuery"] = true,
                    ["rawSql"] = sql.Sql,
                }),
                sql.Format == "table" ? "table" : "timeseries"),
            _ => throw new InvalidOperationException(),
        };

        return new JsonObject
        {
            ["id"] = id,
            ["type"] = type,
            ["title"] = panel.Title,
            ["datasource"] = datasource,
            ["gridPos"] = gridPos,
            ["fieldConfig"] = new JsonObject { ["defaults"] = new JsonObject { ["unit"] = panel.Unit }, ["overrides"] = new JsonArray() },
            ["options"] = new JsonObject { ["legend"] = new JsonObject { ["displayMode"] = "list", ["placement"] = "bottom", ["showLegend"] = true } },
            ["targets"] = targets,
        };
    }

    private static JsonObject Datasource(string type, string uid) => new() { ["type"] = type, ["uid"] = uid };

    private static JsonObject GridPos(int x, int y, int w, int h) => new() { ["h"] = h, ["w"] = w, ["x"] = x, ["y"] = y };

    private static JsonObject DatasourceVariable(string name, string label, string type) => new()
    {
        ["name"] = name,
        ["label"] = label,
        ["type"] = "datasource",
        ["query"] = type,
        ["hide"] = 0,
        ["current"] = new JsonObject(),
    };
}
